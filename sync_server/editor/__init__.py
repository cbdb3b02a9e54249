"""The staff content editor: the server database as the one source of truth for content."""
