"""Open the app's data in the background while the window or web server starts.

The web server answers and the browser loads the Flutter engine meanwhile; the first
session waits for the data only when it needs it. A failure is kept and shown on the
error screen (with the emergency numbers), never raised into the server.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.runtime import Runtime

log = logging.getLogger(__name__)


class StartingRuntime:
    def __init__(self, home: Path) -> None:
        self.home = home
        self._opened = threading.Event()
        self._runtime: Runtime | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._open, name="open-data", daemon=True).start()

    def _open(self) -> None:
        try:
            from app.runtime import Runtime

            self._runtime = Runtime.open(self.home)
        except Exception as error:  # shown on the error screen; the log keeps the cause
            log.exception("the app's data could not be opened")
            self._error = error
        finally:
            self._opened.set()

    def get(self) -> Runtime:
        """The opened Runtime (waits for it); raises what stopped it from opening."""
        self._opened.wait()
        if self._runtime is None:
            raise RuntimeError("the app's data could not be opened") from self._error
        return self._runtime

    def close(self) -> None:
        if self._opened.is_set() and self._runtime is not None:
            self._runtime.close()
