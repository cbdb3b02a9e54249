"""python -m sync_server {serve,publish,build-bundle}"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR, EMBEDDED_BUNDLE_DIR
from sync_server.keys import load_keys
from sync_server.repository import Lifetimes, publish, published_version

from sync_server.keys import DEV_KEY_DIR as DEFAULT_KEY_DIR
# The timestamp is re-signed often; a phone refuses one older than this (freeze attacks).
PUBLISHED_LIFETIMES = Lifetimes(timestamp=timedelta(days=7), snapshot=timedelta(days=30), targets=timedelta(days=90))


def _serve(args: argparse.Namespace) -> None:
    import os

    import uvicorn

    os.environ["SAFE_JOURNEY_SYNC_DATA"] = str(args.data.resolve())
    (args.data / "repository").mkdir(parents=True, exist_ok=True)
    # uvloop and httptools (uvicorn[standard]) set TCP_NODELAY: no 40 ms stall per small response.
    uvicorn.run("sync_server.app:create_app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers, loop="uvloop", http="httptools", log_level="warning",
                server_header=False, date_header=False)  # bytes a 2G phone need not pay for


def _publish(args: argparse.Namespace) -> None:
    repository = args.data / "repository"
    items = read_source(args.source)
    # Versions continue from the bundle inside the app, so a phone sees anything published as newer.
    version = publish(repository, items, load_keys(args.keys), now=datetime.now(timezone.utc),
                      lifetimes=PUBLISHED_LIFETIMES, min_version=published_version(EMBEDDED_BUNDLE_DIR) + 1)
    print(f"published version {version} ({len(items)} items) to {repository}")


def _rotate_online_key(args: argparse.Namespace) -> None:
    from sync_server.keys import ONLINE_KEY_FILE, SigningKeys, make_online_key
    from sync_server.repository import rotate_online_key

    old = load_keys(args.keys)
    retired = args.keys / f"{ONLINE_KEY_FILE}.retired-{datetime.now(timezone.utc):%Y%m%d%H%M%S}"
    (args.keys / ONLINE_KEY_FILE).rename(retired)
    new = SigningKeys(root=old.root, online=make_online_key(args.keys))
    repository = args.data / "repository"
    version = rotate_online_key(repository, old, new, now=datetime.now(timezone.utc), lifetimes=PUBLISHED_LIFETIMES)
    print(f"root version {version} now trusts the new online key; the old one is kept as {retired.name}")
    print("publish again to sign content with the new key")


def _make_keys(args: argparse.Namespace) -> None:
    from sync_server.keys import make_keys

    keys = make_keys(args.keys)
    print(f"new root key {keys.root.public_key.keyid[:16]}… and online key {keys.online.public_key.keyid[:16]}… in {args.keys}")


def _build_bundle(args: argparse.Namespace) -> None:
    from sync_server.bundle_builder import build_embedded_bundle

    result = build_embedded_bundle(key_dir=args.keys)
    state = "built" if result.changed else "already up to date:"
    print(f"embedded bundle {state} version {result.version} ({result.items} items)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sync_server")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve published bundles over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--data", type=Path, required=True)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=_serve)
    publish = commands.add_parser("publish", help="sign the content source as a new version")
    publish.add_argument("--data", type=Path, required=True)
    publish.add_argument("--source", type=Path, default=CONTENT_SOURCE_DIR)
    publish.add_argument("--keys", type=Path, default=DEFAULT_KEY_DIR)
    publish.set_defaults(run=_publish)
    make = commands.add_parser("make-keys", help="create a root key and an online key (key ceremony)")
    make.add_argument("--keys", type=Path, required=True)
    make.set_defaults(run=_make_keys)
    rotate = commands.add_parser("rotate-online-key", help="replace the online key; phones follow without reinstalling")
    rotate.add_argument("--data", type=Path, required=True)
    rotate.add_argument("--keys", type=Path, required=True, help="folder with root.pem and online.pem")
    rotate.set_defaults(run=_rotate_online_key)
    build = commands.add_parser("build-bundle", help="rebuild assets/bundle from content/")
    build.add_argument("--keys", type=Path, default=DEFAULT_KEY_DIR)
    build.set_defaults(run=_build_bundle)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
