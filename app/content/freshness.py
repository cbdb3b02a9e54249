"""How fresh the installed content is, by its signed metadata (never by the phone's clock).

"Last verified" is when the newest timestamp the phone has checked was signed: a network
replaying an old timestamp cannot make it look newer. The signed expiry says until when
the content counts as current; after it, the screens can say the content may be out of date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.content.bundle_format import BUNDLE_FIELD
from app.content.models import InstalledBundle, TrustedMetadata


# When the installed content was last vouched for, and until when.
@dataclass(frozen=True)
class Freshness:
    verified_at: datetime | None  # when the newest timestamp the phone checked was signed
    expires_at: datetime | None  # the signed expiry of what is installed

    def expired(self, now: datetime) -> bool:
        """Past the signed expiry. A phone clock that is behind cannot hide it: the time a
        checked timestamp was signed is a signed lower bound of the real time."""
        return self.expires_at is not None and max(now, self.verified_at or now) >= self.expires_at

    def clock_behind(self, now: datetime, tolerance: timedelta) -> bool:
        """The phone's clock is behind: a checked timestamp was signed later than `now`."""
        return self.verified_at is not None and now + tolerance < self.verified_at


def signed_at(timestamp_metadata: bytes) -> datetime | None:
    """When a (verified, installed) timestamp was signed; "created" for repositories older than "signed"."""
    try:
        info = json.loads(timestamp_metadata)["signed"][BUNDLE_FIELD]
        return datetime.fromisoformat(info.get("signed") or info["created"])
    except (ValueError, KeyError, TypeError):
        return None


def read_freshness(session: Session) -> Freshness:
    bundle = session.exec(select(InstalledBundle)).first()
    timestamp = session.get(TrustedMetadata, "timestamp")
    return Freshness(
        verified_at=signed_at(timestamp.data) if timestamp is not None else None,
        expires_at=bundle.expires_at if bundle is not None else None,
    )
