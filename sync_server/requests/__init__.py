"""Help requests on the server: intake (sealed, idempotent), the requests store the
caseworker pages call, and the request keys that open them."""
