"""One server address, two places on it: signed content under /repository/, requests under /api/.

`--server` and SAFE_JOURNEY_SERVER take the server's base address; the older form that
names the repository itself (".../repository/", as `make run` sets it) is still accepted.
"""

from __future__ import annotations

REPOSITORY = "repository"


def base_address(server_url: str) -> str:
    base = server_url.rstrip("/")
    if base.endswith("/" + REPOSITORY):
        base = base[: -len(REPOSITORY) - 1]
    return base


def repository_url(server_url: str) -> str:
    return f"{base_address(server_url)}/{REPOSITORY}/"


def requests_url(server_url: str) -> str:
    return f"{base_address(server_url)}/api/requests"
