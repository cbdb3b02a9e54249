"""`python -m sync_server content import|export`: content/ files in and out of the server's store.

`import` loads a content/ folder into an empty store (once a server holds content, its database
is the truth: an import never overwrites staff edits; `--if-empty` makes that a quiet no-op, as
`make run` uses it). `export` writes the approved state back as the same files.
"""

from __future__ import annotations

import argparse
import sys

from sqlmodel import Session

from sync_server.db import engine_for, migrate_database
from sync_server.editor.errors import StoreNotEmpty
from sync_server.editor.store import current_items, export_source, import_source


def import_content(args: argparse.Namespace) -> None:
    from app.content.errors import ContentError

    engine = engine_for(args.data)
    migrate_database(engine)
    try:
        with Session(engine) as session:
            count = import_source(session, args.source)
    except StoreNotEmpty:
        with Session(engine) as session:
            held = len(current_items(session))
        if args.if_empty:
            print(f"the content store already holds {held} items: left as it is")
            return
        print(f"the content store already holds {held} items: an import would overwrite staff edits "
              f"(export it first, or start from an empty data folder)", file=sys.stderr)
        raise SystemExit(2)
    except ContentError as error:
        print(f"not imported: {error}", file=sys.stderr)
        raise SystemExit(2)
    finally:
        engine.dispose()
    print(f"imported {count} items from {args.source} into the content store")


def export_content(args: argparse.Namespace) -> None:
    engine = engine_for(args.data)
    migrate_database(engine)
    try:
        with Session(engine) as session:
            count = export_source(session, args.to)
    finally:
        engine.dispose()
    print(f"exported {count} items to {args.to}")
