"""Staff pages that keep the network's content true in every language: the translation queue
and side-by-side review, contact checks (who confirmed a number, and which are out of date),
and the directory of every National Society's migration programmes. They read and change
content only through the content store (sync_server/editor/store.py)."""
