"""Check a staff edit with exactly the rules `make bundle` applies (app/content/rows.build_rows),
on the whole set the edit would make: what the editor accepts always publishes.

A refusal names the field (`texts.en.title`, `phone`, `ends`, …) and never repeats a long value.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from app.content.errors import ContentError
from app.content.item_paths import is_item_path, item_kind
from app.content.rows import build_rows
from app.content.schemas import ITEM_SCHEMAS
from sync_server.editor.errors import EditRefused

MESSAGE_MAX = 300  # characters of a rule's message shown back

# Rules that look at several fields name no field themselves: (kind, words in the message, field).
_MODEL_RULE_FIELDS = (
    ("notice", "ends before it starts", "ends"),
    ("contact", "'services'", "services"),
    ("contact", "not an emergency number", "short_number"),
    ("contact", "belongs to", "phone"),
    ("request_key", "public_key", "public_key"),
    ("request_key", "key_id", "key_id"),
)
# Problems between items (build_rows' link check): (words in the message, field).
_LINK_FIELDS = (
    ("language is not in languages.yaml", "lang"),
    ("no article with that id", "article_id"),
    ("related article", "related"),
    ("topic", "topic_id"),
    ("contact ", "country"),
    ("is not in countries.yaml", "countries"),
    ("no English text", "texts.en"),
    ("does not belong at this path", "id"),
)


def _short(message: str) -> str:
    message = message.removeprefix("Value error, ")
    return message if len(message) <= MESSAGE_MAX else message[:MESSAGE_MAX] + "…"


def _check_item(path: str, item: Mapping) -> None:
    kind = item_kind(path)
    try:
        ITEM_SCHEMAS[kind].model_validate(dict(item))
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"])
        if not field:
            field = next((name for rule_kind, words, name in _MODEL_RULE_FIELDS
                          if rule_kind == kind and words in problem["msg"]), "item")
        raise EditRefused(field, _short(problem["msg"])) from None


def check_candidate(items: Mapping[str, dict], path: str, item: dict | None) -> dict[str, dict]:
    """The set `items` with `path` set to `item` (None: deleted), checked whole; raises EditRefused."""
    if not is_item_path(path):
        raise EditRefused("path", "not a content item path")
    if item is not None:
        if not isinstance(item, dict):
            raise EditRefused("item", "an item is a mapping of fields")
        _check_item(path, item)  # this item's fields first: the clearest message
    candidate = dict(items)
    if item is None:
        if candidate.pop(path, None) is None:
            raise EditRefused("item", "there is no such item to delete")
    else:
        candidate[path] = item
    try:
        build_rows(candidate)
    except ContentError as error:
        message = str(error)
        field = next((name for words, name in _LINK_FIELDS if words in message), "item")
        raise EditRefused(field, _short(message)) from None
    return candidate
