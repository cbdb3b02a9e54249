"""The bundle format: a TUF repository of content items, and how items are grouped.

metadata/
  root.json, <n>.root.json     keys: the offline root key certifies the online key
  timestamp.json               the only file that changes in place; names the snapshot
  <v>.snapshot.json            the version of every other metadata file (mix-and-match guard)
  <v>.targets.json             delegates "packs/*" to `packs` and everything else to `items`
  <v>.packs.json               one pack per group: every item of the group in one file
  <v>.changes.json             the change lists of the last few versions
  <v>.items.json               delegates items to 2**BIN_BITS hash bins (TUF succinct roles)
  <v>.bin-XX.json              length and SHA-256 of each item whose path hashes to this bin
targets/
  packs/<sha256>.<group>.json  for a first or far-behind sync: few requests
  changes/<sha256>.<v>.json    what version v changed since the one before (see below)
  <kind>/<sha256>.<id>.json    one item, for an update that changes a few

Item paths are `<kind>/<id>.json`; text in a language is `text/<lang>/<id>.json`, so a
phone fetches only the languages it uses. The timestamp carries
`x-safe-journey: {"format": 2, "created": ISO, "signed": ISO}` ("signed": when this
timestamp was signed; a renewed timestamp gets a new one, the content keeps "created").

A change list answers "what changed since the version I have" in one small file:
`{"version": v, "base": {"version": b, "snapshot_sha256": h} | null,
  "items": {path: {"length": n, "hashes": {"sha256": h}} | null}}` — every item added or
changed (with its signed length and hash) or removed (null) between snapshot b and v. A
phone follows `base` back until it reaches the snapshot it has installed, byte for byte.
"""

from __future__ import annotations

from tuf.api.metadata import SuccinctRoles

# Item paths and canonical bytes live apart (no TUF there), so the staff web process can check content.
from app.content.item_paths import (  # noqa: F401  (the names every part of the bundle format uses)
    ITEM_KINDS,
    encode_item,
    is_item_path,
    item_kind,
    item_language,
    item_path,
)

FORMAT_VERSION = 2
BUNDLE_FIELD = "x-safe-journey"

ROLE_PACKS = "packs"
ROLE_CHANGES = "changes"
ROLE_ITEMS = "items"
# Change lists the `changes` role keeps: a phone further behind downloads packs instead.
CHANGE_LISTS_KEPT = 3
BIN_PREFIX = "bin"
# 128 bins: a one-article update fetches one bin of about a dozen entries, while the
# snapshot that lists every bin stays small.
BIN_BITS = 7

COMMON_GROUP = "common"
NOTICES_GROUP = "notices"


def pack_group(path: str) -> str:
    """Which pack an item travels in: notices first and small, text by language."""
    if path.startswith("notice/"):
        return NOTICES_GROUP
    lang = item_language(path)
    return f"text-{lang}" if lang else COMMON_GROUP


def groups_for_languages(languages: set[str] | None, all_groups: set[str]) -> set[str]:
    """Groups a phone needs for `languages` (None: every group)."""
    if languages is None:
        return set(all_groups)
    return {g for g in all_groups if not g.startswith("text-") or g.removeprefix("text-") in languages}


def pack_target_path(group: str) -> str:
    return f"packs/{group}.json"


def consistent_target_name(path: str, sha256: str) -> str:
    """Where a target lives on disk or on a server: its hash in the name (TUF consistent snapshots)."""
    directory, _, name = path.rpartition("/")
    return f"{directory}/{sha256}.{name}" if directory else f"{sha256}.{name}"


def bins(keyids: list[str]) -> SuccinctRoles:
    return SuccinctRoles(keyids=keyids, threshold=1, bit_length=BIN_BITS, name_prefix=BIN_PREFIX)



def change_list_path(version: int) -> str:
    return f"changes/{version}.json"
