"""The server's public key that help requests are sealed to, read from the installed content.

Keys exist on the phone only as rows of content.db, and rows there are only written by
the install of a signed version (app/content/install.py); the start-up integrity check
(app/content/integrity.py) finds a row edited outside an install. No setting, command or
server answer can give the phone another key.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.content.models import RequestKey


# The key a new request is sealed to.
@dataclass(frozen=True)
class CurrentKey:
    key_id: str
    public_key: bytes


def current_request_key(session: Session, *, today: date | None = None) -> CurrentKey | None:
    """The newest key already in force (a key announced for a later date waits for it);
    None when the installed content carries no key (then nothing can be sealed)."""
    today = today or date.today()
    rows = session.exec(select(RequestKey).order_by(RequestKey.valid_from.desc(), RequestKey.key_id)).all()
    in_force = [row for row in rows if row.valid_from <= today] or rows[-1:]
    if not in_force:
        return None
    return CurrentKey(key_id=in_force[0].key_id, public_key=base64.b64decode(in_force[0].public_key))
