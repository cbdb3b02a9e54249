"""The optional second factor: time-based one-time codes (RFC 6238, pyotp), each accepted once."""

from __future__ import annotations

import time

import pyotp

ISSUER = "Safe Journey staff"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account_label: str) -> str:
    """The otpauth:// address an authenticator app takes (typed or pasted; no QR image needed)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_label, issuer_name=ISSUER)


def accepted_step(secret: str, code: str, *, last_step: int | None, now: float | None = None) -> int | None:
    """The 30 s step `code` belongs to (this one or its neighbours, for clock drift), or None when the
    code is wrong or its step was already used (a code seen over a shoulder cannot be replayed)."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code) and (last_step is None or step > last_step):
            return step
    return None
