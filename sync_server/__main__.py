"""python -m sync_server COMMAND

`serve` only serves (sync_server.serving); every other command signs or inspects what is
signed (sync_server.publishing). Each command imports its own side when it runs, so the
serving process never loads the signing code or a key.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from sync_server.paths import DEV_KEY_DIR

DEFAULT_DATA = Path("var/sync-server")  # where `make run` keeps the demo server's data


def _serve(args: argparse.Namespace) -> None:
    from sync_server.serving.server import Limits, serve

    limits = Limits(max_header_bytes=args.max_header_bytes, header_timeout=args.header_timeout,
                    limit_concurrency=args.limit_concurrency, keep_alive_timeout=args.keep_alive_timeout,
                    intake_per_minute=args.intake_per_minute)
    serve(args.data, host=args.host, port=args.port, workers=args.workers, limits=limits)


def _staff(name: str):
    """The handler `name` of sync_server.staff.commands, imported only when it runs."""

    def run(args: argparse.Namespace) -> None:
        from sync_server.staff import commands

        getattr(commands, name)(args)

    return run


def _publishing(name: str):
    """The handler `name` of sync_server.publishing.commands, imported only when it runs."""

    def run(args: argparse.Namespace) -> None:
        from sync_server.publishing import commands

        getattr(commands, name)(args)

    return run


def _editor(name: str):
    """The handler `name` of sync_server.editor.commands, imported only when it runs."""

    def run(args: argparse.Namespace) -> None:
        from sync_server.editor import commands

        getattr(commands, name)(args)

    return run


def _add_content_commands(commands) -> None:
    content = commands.add_parser("content", help="content/ files in and out of the server's content store")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    load = content_commands.add_parser("import", help="load a content/ folder into an empty content store")
    load.add_argument("--from", dest="source", type=Path, required=True, help="content folder (e.g. content/)")
    load.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"server data folder (default: {DEFAULT_DATA})")
    load.add_argument("--if-empty", action="store_true",
                      help="do nothing (and succeed) when the store already holds content")
    load.set_defaults(run=_editor("import_content"))
    export = content_commands.add_parser("export", help="write the approved content as a content/ folder")
    export.add_argument("--to", type=Path, required=True, help="folder to write (files of deleted items are removed)")
    export.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"server data folder (default: {DEFAULT_DATA})")
    export.set_defaults(run=_editor("export_content"))


def _parser() -> argparse.ArgumentParser:
    from sync_server.serving.server import Limits

    parser = argparse.ArgumentParser(prog="python -m sync_server")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the published repository and the help-request API over HTTP (holds no signing key)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--data", type=Path, required=True)
    serve.add_argument("--workers", type=int, default=1)
    defaults = Limits()
    serve.add_argument("--max-header-bytes", type=int, default=defaults.max_header_bytes,
                       help="refuse a request whose line and headers are longer (431)")
    serve.add_argument("--header-timeout", type=float, default=defaults.header_timeout,
                       help="seconds a client has to send a request's line and headers")
    serve.add_argument("--limit-concurrency", type=int, default=defaults.limit_concurrency,
                       help="connections at once per worker before answering 503")
    serve.add_argument("--keep-alive-timeout", type=float, default=defaults.keep_alive_timeout)
    serve.add_argument("--intake-per-minute", type=int, default=defaults.intake_per_minute,
                       help="help-request calls per client address and minute (per worker) before 429")
    serve.set_defaults(run=_serve)

    publish = commands.add_parser("publish", help="sign the server's content as a new version, once (its content "
                                                  "store when it holds content, else the content folder)")
    publish.add_argument("--data", type=Path, required=True)
    publish.add_argument("--source", type=Path, help="content folder (default: content/), for a server whose "
                                                     "store holds no content")
    publish.add_argument("--keys", type=Path, default=DEV_KEY_DIR)
    publish.add_argument("--new-root", action="store_true",
                         help="start an empty repository from a new root made with --keys (key ceremony) "
                              "instead of the root the app ships")
    publish.set_defaults(run=_publishing("publish"))

    publisher = commands.add_parser("publisher", help="keep publishing: sign content changes and renew "
                                                      "the timestamp before it expires, every --interval seconds")
    publisher.add_argument("--data", type=Path, required=True)
    publisher.add_argument("--source", type=Path, help="content folder while the store holds no content "
                                                       "(default: content/)")
    publisher.add_argument("--keys", type=Path, default=DEV_KEY_DIR)
    publisher.add_argument("--interval", type=float, default=60.0)
    publisher.set_defaults(run=_publishing("publisher"))

    make = commands.add_parser("make-keys", help="create a root key and an online key (key ceremony)")
    make.add_argument("--keys", type=Path, required=True)
    make.set_defaults(run=_publishing("make_keys"))

    rotate = commands.add_parser("rotate-online-key", help="replace the online key; phones follow without reinstalling")
    rotate.add_argument("--data", type=Path, required=True)
    rotate.add_argument("--keys", type=Path, required=True, help="folder with root.pem and online.pem")
    rotate.set_defaults(run=_publishing("rotate_online_key"))

    build = commands.add_parser("build-bundle", help="rebuild the app's embedded bundle from content/")
    build.add_argument("--keys", type=Path, default=DEV_KEY_DIR)
    build.add_argument("--new-root", action="store_true",
                       help="sign a new root with --keys and write it as the root the app ships (key ceremony)")
    build.add_argument("--source", type=Path, help="content folder (default: content/)")
    build.add_argument("--bundle", type=Path, help="bundle folder (default: assets/bundle/)")
    build.add_argument("--root", type=Path, help="the root the app ships (default: assets/trust/root.json)")
    build.set_defaults(run=_publishing("build_bundle"))

    check = commands.add_parser("check-release", help="say what would ship; fail if it trusts a development key")
    check.add_argument("--bundle", type=Path, help="bundle folder (default: assets/bundle/)")
    check.add_argument("--root", type=Path, help="the root the app ships (default: assets/trust/root.json)")
    check.set_defaults(run=_publishing("check_release"))

    from sync_server.requests.commands import add_commands

    add_commands(commands)
    _add_content_commands(commands)

    user = commands.add_parser("user", help="staff accounts of the /staff/ pages")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add = user_commands.add_parser("add", help="add a staff account; the password is read from standard input")
    add.add_argument("--ns", required=True, help="the Society: ISO code of its country (e.g. NP); an admin "
                     "belongs to one too, but acts for every Society (admins are the network's own staff)")
    add.add_argument("--role", required=True, choices=["caseworker", "editor", "reviewer", "admin"])
    add.add_argument("--email", required=True)
    add.add_argument("--lang", action="append", metavar="LL", help="a language a reviewer reviews (repeat for more)")
    add.add_argument("--password-stdin", action="store_true", required=True,
                     help="read the password from standard input (never from the command line)")
    add.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"server data folder (default: {DEFAULT_DATA})")
    add.set_defaults(run=_staff("add_user"))
    disable = user_commands.add_parser("disable", help="disable a staff account; its sessions end at once")
    disable.add_argument("--email", required=True)
    disable.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"server data folder (default: {DEFAULT_DATA})")
    disable.set_defaults(run=_staff("disable_user"))
    reset = user_commands.add_parser("reset", help="a new password (from standard input); enables the account, "
                                                   "turns its second factor off and ends its sessions")
    reset.add_argument("--email", required=True)
    reset.add_argument("--password-stdin", action="store_true", required=True)
    reset.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"server data folder (default: {DEFAULT_DATA})")
    reset.set_defaults(run=_staff("reset_user"))
    return parser


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
