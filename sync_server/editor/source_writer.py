"""Write content items back as the content/ folder app/content/source.py reads.

`read_source(folder)` after `write_source(items, folder)` gives `items` again, exactly (a test
proves it on the whole of content/): `content export` turns the server's approved state into
the files the embedded bundle is built from. YAML comments of files it rewrites are not kept.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from app.content.item_paths import item_kind, item_path
from app.content.schemas import SOURCE_LANGUAGE

# Files the reader reads, removed before writing so an item deleted in the store goes away.
_READ_GLOBS = ("articles/*.md", "translations/*/*.md", "contacts/*.yaml", "notices/*.yaml")
# Contact fields written under another key or not at all (the file names the country).
_CONTACT_SHAPED = ("id", "country", "kind", "services", "texts", "updated_at", "verified_on")


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _day(value: str) -> date:
    return date.fromisoformat(value)


# libyaml's emitter when PyYAML was built with it (several times faster), else PyYAML's own.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _markdown(meta: dict, body: str) -> str:
    return f"---\n{_dump(meta)}---\n{body}\n"


def _by_kind(items: dict[str, dict]) -> dict[str, dict[str, dict]]:
    kinds: dict[str, dict[str, dict]] = defaultdict(dict)
    for path, item in items.items():
        kinds[item_kind(path)][path] = item
    return kinds


def _languages(items: dict[str, dict]) -> list[dict]:
    return [{"code": item["code"]} for item in items.values()]


def _country(item: dict) -> dict:
    entry: dict[str, Any] = {"code": item["code"], "roles": list(item["roles"])}
    if "texts" in item:
        entry["no_national_society"] = {lang: text["no_national_society"] for lang, text in item["texts"].items()}
        entry["no_national_society_source"] = item["no_national_society_source"]
    return entry


def _topic(item: dict) -> dict:
    return {"id": item["id"], "stage": item["stage"], "order": item["order"], "icon": item["icon"],
            "updated": _moment(item["updated_at"]),
            "title": {lang: text["title"] for lang, text in item["texts"].items()},
            "summary": {lang: text["summary"] for lang, text in item["texts"].items()}}


def _text_meta(text: dict) -> dict:
    return {"title": text["title"], "summary": text["summary"], "reviewed": text["reviewed"]}


def _write_articles(folder: Path, articles: dict[str, dict], texts: dict[str, dict]) -> None:
    for article in articles.values():
        english = texts[item_path("text", article["id"], SOURCE_LANGUAGE)]
        meta = {**_text_meta(english), "kind": article["kind"], "topic": article["topic_id"],
                "order": article["order"], "countries": list(article["countries"]),
                "related": list(article["related"]), "contact_kinds": list(article["contact_kinds"]),
                "source": article["source"], "updated": _moment(article["updated_at"])}
        if english["updated_at"] != article["updated_at"]:  # the English text was edited on its own
            meta["text_updated"] = _moment(english["updated_at"])
        _write(folder / "articles" / f"{article['id']}.md", _markdown(meta, english["body"]))
    for text in texts.values():
        if text["lang"] != SOURCE_LANGUAGE:
            meta = {**_text_meta(text), "updated": _moment(text["updated_at"])}
            _write(folder / "translations" / text["lang"] / f"{text['article_id']}.md", _markdown(meta, text["body"]))


def _contact(item: dict) -> dict:
    entry: dict[str, Any] = {"id": item["id"], "kind": item["kind"]}
    if "services" in item:
        entry["services"] = list(item["services"])
    entry["name"] = {lang: text["name"] for lang, text in item["texts"].items()}
    entry["how_to_reach"] = {lang: text["note"] for lang, text in item["texts"].items()}
    # Every other field as it is (phone, short_number, website, source, checked_by, …).
    entry.update({key: value for key, value in item.items() if key not in _CONTACT_SHAPED})
    entry["verified_on"] = item["verified_on"]
    entry["updated"] = _moment(item["updated_at"])
    return entry


def _write_contacts(folder: Path, contacts: dict[str, dict]) -> None:
    countries: dict[str, list[dict]] = defaultdict(list)
    for item in sorted(contacts.values(), key=lambda item: item["id"]):
        countries[item["country"]].append(_contact(item))
    for country, entries in countries.items():
        _write(folder / "contacts" / f"{country}.yaml", _dump({"country": country, "contacts": entries}))


def _notice(item: dict) -> dict:
    entry: dict[str, Any] = {"id": item["id"], "severity": item["severity"], "starts": _day(item["starts"]),
                             "ends": _day(item["ends"]), "countries": list(item["countries"]),
                             "updated": _moment(item["updated_at"]),
                             "title": {lang: text["title"] for lang, text in item["texts"].items()},
                             "body": {lang: text["body"] for lang, text in item["texts"].items()}}
    if item.get("example"):
        entry["example"] = True  # the reader refuses it: an example never ships
    return entry


def _request_key(item: dict) -> dict:
    return {"key_id": item["key_id"], "public_key": item["public_key"], "from": _day(item["valid_from"])}


def write_source(items: dict[str, dict], folder: Path) -> None:
    """Write `items` (keyed by item path) as a content/ folder; files of items no longer in
    `items` are removed, other files (READMEs, notes) are left alone."""
    folder.mkdir(parents=True, exist_ok=True)
    items = dict(sorted(items.items()))
    for pattern in _READ_GLOBS:
        for old in folder.glob(pattern):
            old.unlink()
    kinds = _by_kind(items)
    _write(folder / "languages.yaml", _dump(_languages(kinds["language"])))
    _write(folder / "countries.yaml", _dump([_country(item) for item in kinds["country"].values()]))
    _write(folder / "topics.yaml", _dump([_topic(item) for item in kinds["topic"].values()]))
    _write_articles(folder, kinds["article"], kinds["text"])
    _write_contacts(folder, kinds["contact"])
    for item in kinds["notice"].values():
        _write(folder / "notices" / f"{item['id']}.yaml", _dump(_notice(item)))
    if kinds["request_key"]:
        _write(folder / "request_keys.yaml", _dump([_request_key(item) for item in kinds["request_key"].values()]))
