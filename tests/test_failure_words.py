"""Every outcome of a sync has words, in one table on the UI side, and the CLI prints them."""

import pytest

from app.content.errors import Reason
from app.content.sync import SyncResult
from app.failure_words import reason_words, sync_words
from app.i18n import current_language, set_language


@pytest.mark.parametrize("reason", list(Reason), ids=lambda r: r.value)
def test_every_reason_has_its_own_words(reason):
    words = reason_words(reason, needed_bytes=12_000_000)
    assert words and words != reason.value
    others = {reason_words(r) for r in Reason if r not in (reason, Reason.no_space)}
    assert words not in others, f"{reason} borrows another reason's words"


def test_no_space_says_how_much_room_is_needed():
    result = SyncResult(Reason.no_space, 1, 1, 0, "before download", needed_bytes=12_000_000)
    assert "12 MB" in sync_words(result) and result.status == "no_space"


@pytest.mark.parametrize(
    ("reason", "status"),
    [(Reason.updated, "updated"), (Reason.up_to_date, "up_to_date"), (Reason.updates_off, "skipped"),
     (Reason.refused, "refused"), (Reason.expired, "refused"), (Reason.clock_skew, "failed"),
     (Reason.captive_portal, "failed"), (Reason.mangled, "failed"), (Reason.cancelled, "failed")],
)
def test_the_cli_status_stays_as_scripts_know_it(reason, status):
    assert SyncResult(reason, 1, 1, 0).status == status


def test_words_follow_the_language_of_the_session():
    english, before = reason_words(Reason.up_to_date), current_language()
    set_language("th")
    try:
        assert reason_words(Reason.up_to_date) != english
    finally:
        set_language(before)
