"""Staff accounts, roles, sessions, CSRF and the audit log: one module every staff page shares
(the caseworker inbox and the content editor). It never loads the signing code."""
