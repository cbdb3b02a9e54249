"""Which root a repository starts from, and whether a root trusts the public development keys.

The app trusts exactly one root, the one it ships (assets/trust/root.json). Publishing and
building the bundle start from that root and never replace it unless told to (--new-root,
at a key ceremony): a repository signed under any other root is refused by every phone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tuf.api.metadata import Metadata, Root

from sync_server.publishing.keys import SigningKeys, development_public_keys, is_production
from sync_server.publishing.repository import ONLINE_ROLES, make_root, published_version


class UntrustedKeys(SystemExit):
    """The keys given cannot sign for the root in use (or it trusts development keys in production)."""


def roles_trusting_development_keys(root: Metadata[Root]) -> list[str]:
    """Every role for which `root` accepts a signature by a development key (by the key's
    value: a development key listed under a made-up id is still a development key)."""
    development = development_public_keys()

    def is_development(keyid: str) -> bool:
        key = root.signed.keys.get(keyid)
        return key is not None and key.keyval.get("public") in development

    return [name for name, role in root.signed.roles.items() if any(map(is_development, role.keyids))]


def trusts_online_key(root: Metadata[Root], keys: SigningKeys) -> bool:
    """Whether content signed with `keys.online` passes under `root` (every online role)."""
    return all(keys.online.public_key.keyid in root.signed.roles[role].keyids for role in ONLINE_ROLES)


def refuse_development_root(root: Metadata[Root]) -> None:
    """In production, refuse to sign under a root that trusts a development key for any role."""
    trusted = roles_trusting_development_keys(root)
    if is_production() and trusted:
        raise UntrustedKeys(f"refusing to sign production content under a root that trusts the public "
                            f"development keys for: {', '.join(trusted)} (see KEYS.md)")


def read_root(root_file: Path) -> Metadata[Root]:
    return Metadata[Root].from_file(str(root_file))


def root_to_sign_under(keys: SigningKeys, *, root_file: Path, new_root: bool, expires: datetime) -> Metadata[Root]:
    """The shipped root if it trusts `keys.online`; a new root from `keys` only when asked."""
    if new_root:
        return make_root(keys, expires=expires)
    root = read_root(root_file)
    if not trusts_online_key(root, keys):
        raise UntrustedKeys(
            f"the root the app ships ({root_file.name}, version {root.signed.version}) does not trust this "
            f"online key, so no phone would accept what it signs. Use the keys that root names, rotate the "
            f"online key (rotate-online-key), or make a new root at a key ceremony with --new-root (KEYS.md)")
    return root


def refuse_untrusted_online_key(repo_dir: Path, keys: SigningKeys) -> None:
    """Before signing into a repository that has a root: that root must trust `keys.online`
    (a forgotten --keys would otherwise sign a version every phone refuses)."""
    root = read_root(repo_dir / "metadata" / "root.json")
    if not trusts_online_key(root, keys):
        raise UntrustedKeys(
            f"the repository's root (version {root.signed.version}) does not trust this online key, so no "
            f"phone would accept what it signs. Use the keys that root names (--keys), or rotate the online "
            f"key (rotate-online-key; KEYS.md)")


def starting_root(repo_dir: Path, keys: SigningKeys, *, root_file: Path, new_root: bool,
                  expires: datetime) -> Metadata[Root] | None:
    """The root for a repository's first version; None once it has one (it keeps its own chain)."""
    if published_version(repo_dir):
        if new_root:
            raise UntrustedKeys(f"{repo_dir} already has a root; --new-root only starts an empty repository")
        refuse_untrusted_online_key(repo_dir, keys)
        return None
    return root_to_sign_under(keys, root_file=root_file, new_root=new_root, expires=expires)
