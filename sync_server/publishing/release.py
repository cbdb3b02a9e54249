"""`check-release`: what a build of the app would ship, and whether it is safe to ship."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tuf.api.metadata import Metadata, Timestamp

from app.content.bundle_check import check_bundle
from app.content.errors import BundleError
from sync_server.publishing.repository import published_item_hashes, published_version
from sync_server.publishing.trust import read_root, roles_trusting_development_keys


# What the release check found: lines to print, and the reasons it must not ship.
@dataclass(frozen=True)
class ReleaseReport:
    lines: list[str]
    problems: list[str]


def check_release(*, root_file: Path, bundle_dir: Path) -> ReleaseReport:
    root = read_root(root_file)
    development = set(roles_trusting_development_keys(root))
    lines = [f"root the app trusts: {root_file} (version {root.signed.version}, expires {root.signed.expires:%Y-%m-%d})"]
    for name, role in sorted(root.signed.roles.items()):
        marker = "  DEVELOPMENT KEY (public)" if name in development else ""
        keys = ", ".join(f"{keyid[:16]}…" for keyid in role.keyids)
        lines.append(f"  {name}: {keys} (threshold {role.threshold}){marker}")
    problems = []
    if development:
        problems.append(f"the root trusts the public development keys for: {', '.join(sorted(development))}; "
                        f"anyone could sign content this app accepts. Make a root at a key ceremony (KEYS.md)")
    version = published_version(bundle_dir)
    if not version:
        problems.append(f"no embedded bundle in {bundle_dir}: run `make bundle`")
        return ReleaseReport(lines, problems)
    timestamp = Metadata[Timestamp].from_file(str(bundle_dir / "metadata" / "timestamp.json")).signed
    lines.append(f"embedded bundle: {bundle_dir} (version {version}, {len(published_item_hashes(bundle_dir))} items, "
                 f"signed until {timestamp.expires:%Y-%m-%d})")
    try:  # the check the app itself runs at first launch: every signature, length and hash
        check_bundle(bundle_dir, root_file.read_bytes())
    except BundleError as error:
        if read_root(bundle_dir / "metadata" / "root.json").to_dict() != root.to_dict():
            problems.append("the embedded bundle was signed under another root than the one the app trusts: "
                            "run `make bundle` again")
        else:
            problems.append(f"the embedded bundle fails the app's own check ({error.detail}): run `make bundle` again")
    return ReleaseReport(lines, problems)
