"""The caseworker inbox under /staff/inbox: the help requests routed to a caseworker's National
Society (sync_server.requests.store does every read and write; sync_server.staff says who may)."""
