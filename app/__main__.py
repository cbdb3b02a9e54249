"""python -m app {serve,search,export}: the app and its operator command line."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from sqlmodel import Session

from app.content.errors import BundleError
from app.runtime import Runtime
from app.storage.paths import data_home


def _serve(runtime: Runtime, args: argparse.Namespace) -> None:
    from app.ui import serve

    serve(runtime, port=args.port, host=args.host)


def _search(runtime: Runtime, args: argparse.Namespace) -> None:
    hits = runtime.search(args.query, lang=args.lang, country=args.country, limit=args.limit)
    if args.json:
        print(json.dumps({"query": args.query, "lang": args.lang, "country": args.country,
                          "results": [asdict(hit) for hit in hits]}, ensure_ascii=False, indent=2))
        return
    for hit in hits:
        print(f"{hit.article_id}\t{hit.title}\t{hit.snippet}")


def _export(runtime: Runtime, args: argparse.Namespace) -> None:
    from app.content.export import export_installed

    with Session(runtime.content_engine) as session:
        data = export_installed(session)
    print(json.dumps(data, ensure_ascii=False, indent=2 if args.json else None))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="Safe Journey")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the web app on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8550)
    serve.add_argument("--host", default="127.0.0.1")
    serve.set_defaults(run=_serve)
    search = commands.add_parser("search", help="search installed articles")
    search.add_argument("query")
    search.add_argument("--lang", default="en")
    search.add_argument("--country", type=str.upper)
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=_search)
    export = commands.add_parser("export", help="print everything installed")
    export.add_argument("--json", action="store_true")
    export.set_defaults(run=_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        runtime = Runtime.open(data_home())
    except BundleError as error:
        print(error.message, file=sys.stderr)
        print(f"({error.detail})", file=sys.stderr)
        return 2
    try:
        args.run(runtime, args)
    finally:
        runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
