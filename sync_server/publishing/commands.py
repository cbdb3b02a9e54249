"""The publishing side's commands (see sync_server/__main__.py for their arguments)."""

from __future__ import annotations

import argparse
import logging
from datetime import datetime, timezone

from app.storage.paths import CONTENT_SOURCE_DIR, EMBEDDED_BUNDLE_DIR, TRUSTED_ROOT_FILE
from sync_server.paths import repository_dir
from sync_server.publishing.keys import load_keys

logger = logging.getLogger(__name__)


def publish(args: argparse.Namespace) -> None:
    from app.content.bundle_format import encode_item
    from app.content.source import read_source
    from sync_server.editor.published import approved_encoded
    from sync_server.publishing.publisher import publish_items

    items = approved_encoded(args.data)  # the store is the truth once it holds content
    if items is not None and args.source:
        raise SystemExit(f"the server's content store holds content: it, not {args.source}, is published "
                         f"(content import loads a folder only into an empty store)")
    source = args.source or CONTENT_SOURCE_DIR
    origin = "the content store" if items is not None else str(source)
    if items is None:
        items = {path: encode_item(item) for path, item in read_source(source).items()}
    version = publish_items(args.data, items, load_keys(args.keys), root_file=TRUSTED_ROOT_FILE,
                            new_root=args.new_root, now=datetime.now(timezone.utc))
    print(f"published version {version} ({len(items)} items from {origin}) to {repository_dir(args.data)}")


def publisher(args: argparse.Namespace) -> None:
    from sync_server.publishing.publisher import run_publisher

    logger.info("publisher: signing %s every %.0f s (the content store once it holds content, else %s)",
                repository_dir(args.data), args.interval, args.source or CONTENT_SOURCE_DIR)
    run_publisher(args.data, args.source or CONTENT_SOURCE_DIR, load_keys(args.keys), root_file=TRUSTED_ROOT_FILE,
                  interval=args.interval)


def rotate_online_key(args: argparse.Namespace) -> None:
    from sync_server.publishing.keys import ONLINE_KEY_FILE, SigningKeys, make_online_key
    from sync_server.publishing.publisher import PUBLISHED_LIFETIMES
    from sync_server.publishing.repository import rotate_online_key as rotate

    # The old key stays online.pem until the repository trusts the new one: a failure on the
    # way (a wrong --data, a full disk) leaves publishing working with the old key.
    old = load_keys(args.keys)
    current, pending = args.keys / ONLINE_KEY_FILE, args.keys / f"{ONLINE_KEY_FILE}.new"
    if pending.exists():  # never overwritten: it may be the key a half-finished rotation made trusted
        raise SystemExit(f"{pending} exists: a rotation was interrupted. Check which key the repository's "
                         f"root trusts before removing it (KEYS.md)")
    new = SigningKeys(root=old.root, online=make_online_key(pending))
    try:
        version = rotate(repository_dir(args.data), old, new, now=datetime.now(timezone.utc),
                         lifetimes=PUBLISHED_LIFETIMES)
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    retired = args.keys / f"{ONLINE_KEY_FILE}.retired-{datetime.now(timezone.utc):%Y%m%d%H%M%S}"
    current.rename(retired)
    pending.rename(current)
    print(f"root version {version} now trusts the new online key; the old one is kept as {retired.name}")
    print("publish again to sign content with the new key")


def make_keys(args: argparse.Namespace) -> None:
    from sync_server.publishing.keys import make_keys as make

    keys = make(args.keys)
    print(f"new root key {keys.root.public_key.keyid[:16]}… and online key {keys.online.public_key.keyid[:16]}… in {args.keys}")


def build_bundle(args: argparse.Namespace) -> None:
    from sync_server.publishing.bundle_builder import build_embedded_bundle

    root_file = args.root or TRUSTED_ROOT_FILE
    result = build_embedded_bundle(key_dir=args.keys, new_root=args.new_root, source_dir=args.source or CONTENT_SOURCE_DIR,
                                   bundle_dir=args.bundle or EMBEDDED_BUNDLE_DIR, root_file=root_file)
    state = "built" if result.changed else "already up to date:"
    print(f"embedded bundle {state} version {result.version} ({result.items} items)")
    if result.new_root:
        print(f"wrote a new root to {root_file}: the app trusts only it from now on; "
              f"check it with `python -m sync_server check-release`")


def check_release(args: argparse.Namespace) -> None:
    from sync_server.publishing.release import check_release as check

    report = check(root_file=args.root or TRUSTED_ROOT_FILE, bundle_dir=args.bundle or EMBEDDED_BUNDLE_DIR)
    print("\n".join(report.lines))
    if report.problems:
        raise SystemExit("NOT READY TO SHIP:\n" + "\n".join(f"- {problem}" for problem in report.problems))
    print("ready to ship: the app trusts no development key and its bundle is signed under its root")
