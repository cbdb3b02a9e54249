"""When the app may use the network for content updates, from the data-use setting."""

from __future__ import annotations

from enum import StrEnum


class DataUse(StrEnum):
    wifi_only = "wifi_only"
    any_network = "any_network"
    never = "never"


class Network(StrEnum):
    wifi = "wifi"
    mobile = "mobile"
    none = "none"
    unknown = "unknown"  # a browser or desktop cannot tell: treated like Wi-Fi


DEFAULT_DATA_USE = DataUse.wifi_only


def may_sync(data_use: str, network: str, *, manual: bool) -> bool:
    """Automatic checks follow the setting; "check now" is the user's own choice."""
    if network == Network.none:
        return False
    if manual:
        return True
    if data_use == DataUse.never:
        return False
    if data_use == DataUse.wifi_only:
        return network in (Network.wifi, Network.unknown)
    return True
