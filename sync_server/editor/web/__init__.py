"""The staff editor's web pages: content lists and edit forms (/staff/content/), the review
queue (/staff/review/) and each item's versions (/staff/history/). They show and change
content only through the content store (sync_server/editor/store.py)."""
