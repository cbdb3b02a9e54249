"""Read the human-editable content source folder into bundle items.

content/
  languages.yaml, countries.yaml, topics.yaml
  articles/<id>.md                 English article: YAML front matter + Markdown body
  translations/<lang>/<id>.md      the same article in another language
  contacts/<CC>.yaml               contacts of one country (`checked_by: CC`: the National
                                   Society whose staff confirmed the number on `verified_on`;
                                   `for_country: CC` on an embassy: whose embassy it is)
  notices/<id>.yaml                emergency notices
  request_keys.yaml                the server's public keys help requests are sealed to
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from app.content.item_paths import item_path
from app.content.errors import ContentError
from app.content.schemas import SOURCE_LANGUAGE
# Topics carry no date of their own in the source; this marks when their format began.
TOPICS_DEFAULT_UPDATED = date(2026, 11, 23)


def _timestamp(value: Any, where: str) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0), tzinfo=timezone.utc)
    else:
        raise ContentError(f"{where}: 'updated' must be a date like 2026-11-23, not {value!r}")
    return moment.isoformat()


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML: {error}") from None


def _require(mapping: dict, key: str, where: str) -> Any:
    if mapping.get(key) in (None, "", [], {}):
        raise ContentError(f"{where}: '{key}' is required")
    return mapping[key]


def _languages(root: Path) -> dict[str, dict]:
    return {
        item_path("language", entry["code"]): {"code": entry["code"]}
        for entry in _yaml(root / "languages.yaml")
    }


def _countries(root: Path) -> dict[str, dict]:
    items = {}
    for entry in _yaml(root / "countries.yaml"):
        code = str(entry["code"]).upper()
        item = {"code": code, "roles": list(entry.get("roles") or [])}
        if entry.get("no_national_society"):
            where = f"countries.yaml: {code}"
            item["no_national_society_source"] = _require(entry, "no_national_society_source", where)
            item["texts"] = {lang: {"no_national_society": text} for lang, text in _localised(entry, "no_national_society").items()}
        items[item_path("country", code)] = item
    return items


def _topics(root: Path) -> dict[str, dict]:
    items = {}
    for entry in _yaml(root / "topics.yaml"):
        where = f"topics.yaml: topic {entry.get('id')!r}"
        titles = _require(entry, "title", where)
        summaries = entry.get("summary") or {}
        items[item_path("topic", entry["id"])] = {
            "id": entry["id"],
            "stage": _require(entry, "stage", where),
            "order": int(entry.get("order", 0)),
            "icon": entry.get("icon", "article"),
            "updated_at": _timestamp(entry.get("updated", TOPICS_DEFAULT_UPDATED), where),
            "texts": {lang: {"title": titles[lang], "summary": summaries.get(lang, "")} for lang in titles},
        }
    return items


def _text_item(post: frontmatter.Post, article_id: str, lang: str, where: str) -> dict:
    return {
        "article_id": article_id,
        "lang": lang,
        "title": _require(post.metadata, "title", where),
        "summary": post.metadata.get("summary") or "",
        "body": post.content.strip(),
        "reviewed": bool(post.metadata.get("reviewed", False)),
        "updated_at": _timestamp(_require(post.metadata, "updated", where), where),
    }


def _articles(root: Path) -> dict[str, dict]:
    items = {}
    for path in sorted((root / "articles").glob("*.md")):
        article_id = path.stem
        where = f"articles/{path.name}"
        post = frontmatter.load(path)
        meta = post.metadata
        items[item_path("article", article_id)] = {
            "id": article_id,
            "kind": _require(meta, "kind", where),
            "topic_id": _require(meta, "topic", where),
            "order": int(meta.get("order", 0)),
            "countries": [str(c).upper() for c in meta.get("countries") or []],
            "related": list(meta.get("related") or []),
            "contact_kinds": list(meta.get("contact_kinds") or []),
            "source": _require(meta, "source", where),
            "updated_at": _timestamp(_require(meta, "updated", where), where),
        }
        items[item_path("text", article_id, SOURCE_LANGUAGE)] = _text_item(post, article_id, SOURCE_LANGUAGE, where)
    for path in sorted((root / "translations").glob("*/*.md")):
        lang, article_id = path.parent.name, path.stem
        where = f"translations/{lang}/{path.name}"
        items[item_path("text", article_id, lang)] = _text_item(frontmatter.load(path), article_id, lang, where)
    return items


def _localised(entry: dict, key: str) -> dict[str, str]:
    value = entry.get(key) or {}
    return value if isinstance(value, dict) else {SOURCE_LANGUAGE: str(value)}


def _contact_source(entry: dict, where: str) -> str:
    """The contact's source; for an emergency number also where its service was read."""
    source = str(_require(entry, "source", where)).strip()
    if entry.get("services_source"):
        return f"{source}. Service: {str(entry['services_source']).strip()}"
    return source


def _contacts(root: Path) -> dict[str, dict]:
    items = {}
    for path in sorted((root / "contacts").glob("*.yaml")):
        document = _yaml(path)
        country = str(document["country"]).upper()
        for entry in document.get("contacts") or []:
            where = f"contacts/{path.name}: contact {entry.get('id')!r}"
            names, notes = _localised(entry, "name"), _localised(entry, "how_to_reach")
            verified_on = _require(entry, "verified_on", where)
            items[item_path("contact", entry["id"])] = {
                "id": entry["id"],
                "country": str(entry.get("country", country)).upper(),
                "kind": _require(entry, "kind", where),
                **({"services": list(entry.get("services") or [])} if entry.get("kind") == "emergency" else {}),
                "phone": entry.get("phone"),
                "short_number": None if entry.get("short_number") is None else str(entry["short_number"]),
                "website": entry.get("website"),
                "source": _contact_source(entry, where),
                "verified_on": verified_on.isoformat() if isinstance(verified_on, date) else str(verified_on),
                # Only when set: a contact nobody has confirmed keeps the bytes (and hash) it had.
                **({"checked_by": str(entry["checked_by"]).upper()} if entry.get("checked_by") else {}),
                **({"for_country": str(entry["for_country"]).upper()} if entry.get("for_country") else {}),
                "updated_at": _timestamp(entry.get("updated", verified_on), where),
                "texts": {lang: {"name": names[lang], "note": notes.get(lang, "")} for lang in names},
            }
    return items


def _notices(root: Path) -> dict[str, dict]:
    items = {}
    for path in sorted((root / "notices").glob("*.yaml")):
        entry = _yaml(path)
        where = f"notices/{path.name}"
        if entry.get("example"):
            # Example notices are for tests and demonstrations; tests make their own.
            raise ContentError(f"{where}: example content must not be published (remove 'example: true' or the file)")
        titles, bodies = _localised(entry, "title"), _localised(entry, "body")
        items[item_path("notice", entry["id"])] = {
            "id": entry["id"],
            "severity": _require(entry, "severity", where),
            "starts": _require(entry, "starts", where).isoformat(),
            "ends": _require(entry, "ends", where).isoformat(),
            "example": bool(entry.get("example", False)),
            "countries": [str(c).upper() for c in entry.get("countries") or []],
            "updated_at": _timestamp(entry.get("updated", entry["starts"]), where),
            "texts": {lang: {"title": titles[lang], "body": bodies.get(lang, "")} for lang in titles},
        }
    return items


def _request_keys(root: Path) -> dict[str, dict]:
    """`[{key_id, public_key, from}]`: a new key is added, old ones stay listed."""
    path = root / "request_keys.yaml"
    if not path.exists():
        return {}
    items = {}
    for entry in _yaml(path) or []:
        where = f"request_keys.yaml: key {entry.get('key_id')!r}"
        valid_from = _require(entry, "from", where)
        items[item_path("request_key", str(_require(entry, "key_id", where)))] = {
            "key_id": str(entry["key_id"]),
            "public_key": str(_require(entry, "public_key", where)),
            "valid_from": valid_from.isoformat() if isinstance(valid_from, date) else str(valid_from),
        }
    return items


def read_source(root: Path) -> dict[str, dict]:
    """Every item of the source folder, keyed by its bundle target path."""
    if not root.is_dir():
        raise ContentError(f"content source folder {root} does not exist")
    items: dict[str, dict] = {}
    for reader in (_languages, _countries, _topics, _articles, _contacts, _notices, _request_keys):
        items.update(reader(root))
    return items
