"""When the app may use the network for content updates, and when it checks next.

Pure rules, no clock and no network: the background owner (app/background_updates.py)
asks them before every automatic check.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DataUse(StrEnum):
    wifi_only = "wifi_only"
    any_network = "any_network"
    never = "never"


class Network(StrEnum):
    wifi = "wifi"  # Wi-Fi, Ethernet, or a host whose connection counts as unmetered
    mobile = "mobile"
    none = "none"
    unknown = "unknown"  # not known yet, or a kind the phone cannot name (VPN, Bluetooth…)


DEFAULT_DATA_USE = DataUse.wifi_only


def may_sync(data_use: str, network: str, *, manual: bool) -> bool:
    """Automatic checks follow the setting; "check now" is the person's own choice.

    "Only on Wi-Fi" means Wi-Fi the phone is sure of: an unknown network may be paid data.
    """
    if manual:
        return True  # even with "no connection" reported: detection can be wrong, trying costs nothing
    if network == Network.none or data_use == DataUse.never:
        return False
    if data_use == DataUse.wifi_only:
        return network == Network.wifi
    return True


# How often the background owner checks, and how it backs off after failures.
@dataclass(frozen=True)
class CheckSchedule:
    interval: float = 30 * 60  # seconds between checks while the app runs
    # While a notice for the person's countries is in force, a newer one may follow soon.
    urgent_interval: float = 5 * 60
    first_retry: float = 60.0  # after one failure; doubled after each further one, never past the interval
    first_check: float = 10.0  # after start when no screen is ever shown (a server with no visitor)
    after_first_screen: float = 2.0  # the browser is still drawing that screen

    def next_delay(self, failures: int, *, urgent: bool, jitter: float) -> float:
        """Seconds until the next check; `jitter` in [0, 1) spreads retries (50–100 % of the wait)."""
        regular = min(self.interval, self.urgent_interval) if urgent else self.interval
        if failures <= 0:
            return regular
        backoff = min(regular, self.first_retry * 2 ** min(failures - 1, 30))
        return backoff * (0.5 + 0.5 * jitter)
