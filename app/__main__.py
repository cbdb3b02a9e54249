"""python -m app {serve,search,export,sync,backup}: the app and its operator command line."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from app.hidden_lock import LOCK_AFTER_HIDDEN_S
from app.logging_setup import setup_logging
from app.storage.paths import data_home

if TYPE_CHECKING:
    from app.runtime import Runtime

log = logging.getLogger(__name__)


def _serve(args: argparse.Namespace) -> None:
    # The web server starts while the data opens in the background (a fast first answer).
    from app.starting import StartingRuntime
    from app.ui import serve

    serve(StartingRuntime(data_home()), port=args.port, host=args.host, sync_interval=args.sync_interval,
          network=args.network, lock_after_hidden_s=args.lock_after)


def _search(runtime: Runtime, args: argparse.Namespace) -> None:
    with runtime.reading() as content:
        hits = content.search(args.query, lang=args.lang, country=args.country, limit=args.limit)
    if args.json:
        print(json.dumps({"query": args.query, "lang": args.lang, "country": args.country,
                          "results": [asdict(hit) for hit in hits]}, ensure_ascii=False, indent=2))
        return
    for hit in hits:
        print(f"{hit.article_id}\t{hit.title}\t{hit.snippet}")


def _export(runtime: Runtime, args: argparse.Namespace) -> None:
    from app.content.export import export_installed

    with runtime.content.session() as session:
        data = export_installed(session)
    print(json.dumps(data, ensure_ascii=False, indent=2 if args.json else None))


def _http_client():
    import httpx

    return httpx.Client(timeout=httpx.Timeout(20.0, connect=10.0), follow_redirects=False)


def _sync(runtime: Runtime, args: argparse.Namespace) -> int:
    """Check for new content (unless --requests-only), then send the outbox and refresh statuses."""
    from app.content.sync_policy import may_sync
    from app.failure_words import sync_words
    from app.server_address import repository_url

    if args.data_use:
        runtime.user.set_setting("data_use", args.data_use)
    report: dict = {}
    ok = True
    with _http_client() as client:
        if not args.requests_only:
            result = runtime.sync_now(client, repository_url(args.server), manual=not args.automatic,
                                      network=args.network)
            report = {
                "status": result.status,
                "reason": result.reason.value,
                "from_version": result.from_version,
                "to_version": result.to_version,
                "bytes_downloaded": result.bytes_downloaded,
                "message": sync_words(result),
                "detail": result.detail,
            }
            ok = result.status in ("updated", "up_to_date", "skipped")
        if may_sync(runtime.user.setting("data_use", "wifi_only"), args.network, manual=not args.automatic):
            sent = runtime.send_requests(client, args.server)
            report["requests"] = {"delivered": sent.delivered, "refused": sent.refused, "waiting": sent.left}
            ok = ok and not sent.unreachable
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif "message" in report:
        print(report["message"])
    return 0 if ok else 1


def _request(runtime: Runtime, args: argparse.Namespace) -> int:
    from app.request_cli import run_request_command

    return run_request_command(runtime, args, _http_client)


def _backup(runtime: Runtime, args: argparse.Namespace) -> int:
    """Export or restore the encrypted backup. Secrets come on stdin, never on the command
    line (shell history, the process list): the passphrase, then the PIN if the lock is on."""
    from pathlib import Path

    from app.backup_words import exported_words, problem_words, restored_words
    from app.i18n import set_language, supported
    from app.storage.backup import BackupLocked, BackupProblem, export_backup, restore_backup

    user = runtime.user
    set_language(supported(user.setting("language", "en")))  # the person's language, as in the app
    lines = sys.stdin.read().splitlines()
    passphrase = lines[0] if lines else ""
    try:
        if user.locked and not user.unlock(lines[1] if len(lines) > 1 else "").unlocked:
            raise BackupLocked()  # a wrong PIN counts here as on the lock screen
        if args.action == "export":
            made = export_backup(user, Path(args.out), passphrase)
            print(exported_words(made.left_out))
        else:
            restore_backup(user, Path(args.input), passphrase)
            print(restored_words())
    except BackupProblem as problem:
        print(problem_words(problem), file=sys.stderr)
        return 1
    return 0


def _translations_status(args: argparse.Namespace) -> None:
    from app.i18n_tools import print_status

    print_status(as_json=args.json)


def _seconds(value: str) -> float:
    seconds = float(value)
    if not 1 <= seconds <= 7 * 24 * 3600:
        raise argparse.ArgumentTypeError("give a number of seconds between 1 and 604800")
    return seconds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Safe Journey")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the web app on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8550)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--sync-interval", type=_seconds, default=None, metavar="SECONDS",
                       help="seconds between automatic update checks (default 1800)")
    serve.add_argument("--network", default="wifi", choices=["wifi", "mobile", "none"],
                       help="what this host's connection counts as for the data-use setting (default: wifi, unmetered)")
    serve.add_argument("--lock-after", type=float, default=LOCK_AFTER_HIDDEN_S, metavar="SECONDS",
                       help="with the app lock on, seconds in the background after which the PIN is asked again "
                            f"(default {LOCK_AFTER_HIDDEN_S:g})")
    serve.set_defaults(run=_serve, needs_runtime=False)
    search = commands.add_parser("search", help="search installed articles")
    search.add_argument("query")
    search.add_argument("--lang", default="en")
    search.add_argument("--country", type=str.upper)
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=_search)
    sync = commands.add_parser("sync", help="fetch and install newer signed content, send waiting help requests")
    sync.add_argument("--server", default=os.environ.get("SAFE_JOURNEY_SERVER"), required="SAFE_JOURNEY_SERVER" not in os.environ,
                      help="the server's base address (the older .../repository/ form works too)")
    sync.add_argument("--requests-only", action="store_true", help="send help requests and refresh statuses only")
    sync.add_argument("--json", action="store_true")
    sync.add_argument("--automatic", action="store_true", help="behave like a background check (obeys data use)")
    sync.add_argument("--network", default="unknown", choices=["wifi", "mobile", "none", "unknown"])
    sync.add_argument("--data-use", choices=["wifi_only", "any_network", "never"], help="change the data-use setting first")
    sync.set_defaults(run=_sync)
    from app.request_cli import add_request_parser

    add_request_parser(commands, run=_request)
    export = commands.add_parser("export", help="print everything installed")
    export.add_argument("--json", action="store_true")
    export.set_defaults(run=_export)
    backup = commands.add_parser("backup", help="the person's saved things in one encrypted file (a passphrase)")
    backup_actions = backup.add_subparsers(dest="action", required=True)
    backup_export = backup_actions.add_parser("export", help="write the backup to a file")
    backup_export.add_argument("--out", required=True, metavar="FILE")
    backup_restore = backup_actions.add_parser("restore", help="put a backup's things into this data folder")
    backup_restore.add_argument("--in", dest="input", required=True, metavar="FILE")
    for action in (backup_export, backup_restore):
        action.add_argument("--passphrase-stdin", action="store_true", required=True,
                            help="read the passphrase from the first line of stdin (then the PIN, if the app lock is on)")
    backup.set_defaults(run=_backup)
    status = commands.add_parser("translations-status", help="per language: UI strings and articles translated, reviewed")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=_translations_status, needs_runtime=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    setup_logging()
    args = _parser().parse_args(argv)
    if not getattr(args, "needs_runtime", True):
        args.run(args)
        return 0
    from app.runtime import Runtime

    try:
        runtime = Runtime.open(data_home())
    except Exception as error:  # noqa: BLE001  the log has the cause; the person gets plain words
        log.exception("the app's data could not be opened")
        from app.failure_words import reason_words

        reason = getattr(error, "reason", None)
        print(reason_words(reason) if reason is not None else "The app's data could not be opened.", file=sys.stderr)
        if getattr(error, "detail", None):
            print(f"({error.detail})", file=sys.stderr)
        return 2
    try:
        return args.run(runtime, args) or 0
    finally:
        runtime.close()


if __name__ == "__main__":
    sys.exit(main())
