"""Content past its signed expiry: the home screen's loader says so, and when it was last checked;
a phone clock that is behind is found from the signed time, and cannot hide the expiry."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.content.embedded import ensure_embedded_installed
from app.content.fetch import LocalFetcher
from app.content.freshness import Freshness
from app.content.sync import CLOCK_TOLERANCE, sync
from app.opening import OpenedContent
from app.runtime import Runtime
from app.state import AppState
from app.storage.content_store import ContentStore
from app.storage.paths import content_db
from app.storage.user_store import UserStore
from app.ui import Loaders
from sync_server.publishing.repository import Lifetimes
from tests.factories import sign_bundle

MONTH = Lifetimes(timestamp=timedelta(days=30), snapshot=timedelta(days=30), targets=timedelta(days=30))


def _runtime_with_content_signed(tmp_path, signed: datetime) -> Runtime:
    """A data folder holding a bundle signed at `signed`, valid for a month (expiry is never
    checked for an installed bundle: it is how old content reaches a phone kept offline)."""
    bundle, root_file, home = tmp_path / "bundle", tmp_path / "root.json", tmp_path / "home"
    _, root = sign_bundle(bundle, now=signed, lifetimes=MONTH)
    root_file.write_bytes(root)
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=bundle, trusted_root_file=root_file)
    return Runtime(home=home, content_files=OpenedContent(store=ContentStore(content_db(home)), home=home),
                   user=UserStore.in_memory_copy_of(None))


@pytest.mark.parametrize(("days_ago", "out_of_date"), [(40, True), (1, False)])
def test_home_says_when_the_content_is_past_its_signed_expiry(tmp_path, days_ago, out_of_date):
    signed = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=days_ago)
    runtime = _runtime_with_content_signed(tmp_path, signed)
    try:
        home = Loaders(runtime=runtime, state=AppState()).home({})
    finally:
        runtime.close()
    assert home.out_of_date is out_of_date
    assert home.last_verified == signed  # when the timestamp was signed, never when the phone looked


def test_a_phone_clock_that_is_behind_cannot_hide_the_expiry():
    signed = datetime(2026, 11, 27, tzinfo=timezone.utc)
    freshness = Freshness(verified_at=signed, expires_at=signed - timedelta(days=1))  # renewed timestamp, old version
    a_month_behind = signed - timedelta(days=30)
    assert freshness.expired(a_month_behind)
    assert freshness.clock_behind(a_month_behind, CLOCK_TOLERANCE)
    assert not freshness.clock_behind(signed + timedelta(minutes=5), CLOCK_TOLERANCE)


@pytest.mark.parametrize(("phone_clock", "behind"), [(timedelta(days=-2), True), (timedelta(0), False)])
def test_a_sync_says_when_the_phone_clock_is_behind_the_signed_time(tmp_path, phone_clock, behind):
    """Only a signed time can show it: TUF accepts metadata read by a clock that is behind."""
    repository, home = tmp_path / "repository", tmp_path / "phone"
    _, root = sign_bundle(repository)
    home.mkdir()
    result = sync(home, LocalFetcher(repository), trusted_root=root, languages={"en"},
                  now=datetime.now(timezone.utc) + phone_clock)
    assert result.status == "updated", result.detail
    assert result.clock_behind is behind
    again = sync(home, LocalFetcher(repository), trusted_root=root, languages={"en"},
                 now=datetime.now(timezone.utc) + phone_clock)
    assert again.status == "up_to_date" and again.clock_behind is behind
