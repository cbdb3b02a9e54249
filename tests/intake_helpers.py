"""Help requests as a phone makes them: the form's fields sealed to the development request
key, the body and Idempotency-Key of POST /api/requests; a server data folder holding the key."""

from __future__ import annotations

import base64
import json
import secrets
import shutil
from pathlib import Path

import yaml
from nacl.public import PrivateKey, PublicKey, SealedBox

from sync_server.paths import DEV_REQUEST_KEY, REQUEST_KEYS_FILE, request_keys_dir
from sync_server.requests.keys import key_id

DEV_KEY_ID = key_id(bytes(PrivateKey(base64.b64decode(DEV_REQUEST_KEY.read_text())).public_key))
# The development pair's entry in the content (found by its id: a rotation may add others after it).
[DEV_ENTRY] = [entry for entry in yaml.safe_load(REQUEST_KEYS_FILE.read_text()) if entry["key_id"] == DEV_KEY_ID]

TRACING = {"sought_name": "Sita Example", "relationship": "sister", "last_country": "MY", "last_city": "Kuala Lumpur",
           "last_contact_date": "2026-05-01", "requester_name": "Ram Example", "requester_phone": "+9779812345678",
           "home_country": "NP", "consent": True}
CONTACT_ME = {"help_kind": "documents", "country": "OM", "city": "Muscat", "name": "Rina Example",
              "phone": "+96891234567", "safe_time": "after 8 pm", "home_country": "BD", "consent": True}
SAFE = {"name": "Anil Example", "country": "NP", "home_country": "NP", "message": "We are safe.", "consent": True}
FORMS = {"tracing": TRACING, "contact-me": CONTACT_ME, "safe": SAFE}


def server_data(folder: Path) -> Path:
    """A serving data folder with the development request key in it (as `make run` does)."""
    keys = request_keys_dir(folder)
    keys.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEV_REQUEST_KEY, keys / f"{DEV_ENTRY['key_id']}.key")
    return folder


def seal(fields: dict | bytes) -> str:
    plaintext = fields if isinstance(fields, bytes) else json.dumps(fields).encode()
    box = SealedBox(PublicKey(base64.b64decode(DEV_ENTRY["public_key"])))
    return base64.b64encode(box.encrypt(plaintext)).decode()


def request_body(kind: str = "tracing", fields: dict | None = None, route: list[str] | None = None) -> dict:
    fields = FORMS[kind] if fields is None else fields
    route = route or {"tracing": ["NP", "MY"], "contact-me": ["OM", "BD"], "safe": ["NP", "NP"]}[kind]
    return {"v": 1, "kind": kind, "route": route, "key_id": DEV_ENTRY["key_id"], "sealed": seal(fields)}


def idempotency_key() -> str:
    return secrets.token_urlsafe(24)
