"""With the app lock on, an app left in the background asks for the PIN again.

A phone is taken from a pocket or a table with the app still open behind the home screen:
it must not come back unlocked. A short absence (a call to the emergency number, a glance
at a message) does not lock, so the person is not asked for the PIN after every call.
"""

from __future__ import annotations

import time
from typing import Callable

LOCK_AFTER_HIDDEN_S = 30.0


class HiddenLock:
    """Tells, when the app is shown again, whether it was away long enough to lock."""

    def __init__(self, lock_after_s: float = LOCK_AFTER_HIDDEN_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock_after_s = lock_after_s
        self._clock = clock
        self._hidden_since: float | None = None

    def hidden(self) -> None:
        if self._hidden_since is None:  # hide, then pause: the first one counts
            self._hidden_since = self._clock()

    def shown(self) -> bool:
        """True when the app was hidden for LOCK_AFTER_HIDDEN_S or more."""
        since, self._hidden_since = self._hidden_since, None
        return since is not None and self._clock() - since >= self._lock_after_s
