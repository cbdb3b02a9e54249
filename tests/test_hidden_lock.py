"""With the app lock on, an app back from the background after a while asks for the PIN;
a short absence (a call to the emergency number) does not."""

from __future__ import annotations

import pytest

from app.hidden_lock import LOCK_AFTER_HIDDEN_S, HiddenLock


@pytest.mark.parametrize(("events", "locks"), [
    ([("hide", 0), ("show", LOCK_AFTER_HIDDEN_S - 1)], False),  # a short call
    ([("hide", 0), ("show", LOCK_AFTER_HIDDEN_S)], True),
    ([("hide", 0), ("pause", 20), ("show", LOCK_AFTER_HIDDEN_S + 5)], True),  # counted from the first
    ([("show", 10_000)], False),  # shown without having been hidden (the first screen)
    ([("hide", 0), ("show", 5), ("hide", 100), ("show", 110)], False),  # each absence on its own
])
def test_the_app_locks_only_after_a_long_enough_absence(events, locks):
    now = [0.0]
    hidden_lock = HiddenLock(clock=lambda: now[0])
    shown = []
    for event, at in events:
        now[0] = at
        if event == "show":
            shown.append(hidden_lock.shown())
        else:
            hidden_lock.hidden()
    assert shown[-1] is locks
