"""The /staff/ web layer shared by every staff page: who is logged in, who may do what, CSRF,
security headers and the page templates."""
