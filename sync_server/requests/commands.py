"""Commands of the requests side: `request-key new`, `migrate`, `purge` (cron-able).

None of them loads the signing code; `purge` and `migrate` only need the database.
"""

from __future__ import annotations

import argparse
import logging

log = logging.getLogger(__name__)


def new_key(args: argparse.Namespace) -> None:
    from sync_server.requests.keys import new_request_key

    entry = new_request_key(args.data)
    # The private key stays in the data folder; only the public entry is printed.
    print(f"# Add to content/request_keys.yaml, then publish; keep every older entry.\n{entry.to_yaml()}", end="")


def migrate(args: argparse.Namespace) -> None:
    from sync_server.db import engine_for, migrate_database

    migrate_database(engine_for(args.data))


def purge(args: argparse.Namespace) -> None:
    from sqlmodel import Session

    from sync_server.db import engine_for, migrate_database
    from sync_server.requests.store import purge_closed

    engine = engine_for(args.data)
    migrate_database(engine)
    with Session(engine) as session:
        count = purge_closed(session, older_than_days=args.days)
    log.info("purged %d closed or withdrawn requests older than %d days", count, args.days)
    print(count)


def add_commands(commands) -> None:
    """Register the subcommands on `python -m sync_server`'s parser."""
    from pathlib import Path

    key = commands.add_parser("request-key", help="request keys (phones seal help requests to them)")
    key_commands = key.add_subparsers(dest="key_command", required=True)
    new = key_commands.add_parser("new", help="make a key pair; print the entry for content/request_keys.yaml")
    new.add_argument("--data", type=Path, required=True)
    new.set_defaults(run=new_key)

    migration = commands.add_parser("migrate", help="bring the server database (SQLite or DATABASE_URL) up to date")
    migration.add_argument("--data", type=Path, required=True)
    migration.set_defaults(run=migrate)

    purging = commands.add_parser("purge", help="delete closed and withdrawn requests older than --days (cron)")
    purging.add_argument("--data", type=Path, required=True)
    purging.add_argument("--days", type=int, default=90)
    purging.set_defaults(run=purge)
