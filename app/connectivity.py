"""What kind of connection the app is on, for the data-use setting.

Two sources, one answer (`Network`):
- the host's connection when the app runs as `python -m app serve` (web or desktop): the
  operator says which (`--network`, unmetered Wi-Fi by default); the browser's own
  connection says nothing about what the host's downloads cost;
- on a phone build (Python runs on the phone), Flet's Connectivity service, which also
  says when the connection changes (and so when it is back).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Callable, Iterable

import flet as ft

from app.content.sync_policy import Network

if TYPE_CHECKING:
    from app.background_updates import BackgroundUpdates

log = logging.getLogger(__name__)


def network_of(kinds: Iterable[str]) -> Network:
    """Flet's connectivity types (values such as "wifi", "mobile") as one `Network`.

    Wi-Fi or Ethernet anywhere in the list wins (a VPN over Wi-Fi is still Wi-Fi); a VPN,
    Bluetooth or "other" alone may be paid data, so it is unknown.
    """
    kinds = {str(getattr(kind, "value", kind)).lower() for kind in kinds}
    if kinds & {"wifi", "ethernet"}:
        return Network.wifi
    if "mobile" in kinds:
        return Network.mobile
    if not kinds or kinds == {"none"}:
        return Network.none
    return Network.unknown


def runs_on_phone(page: ft.Page) -> bool:
    """Python itself runs on the phone (a `flet build` app), not on a server a browser visits."""
    return not page.web and page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)


class PhoneConnectivity:
    """Flet's Connectivity service on a phone build, telling the update owner what it sees.

    Made once, from the first session's page (a phone app has one). Not used in the web
    client: there the service reports the browser's connection, not the host's.
    """

    def __init__(self, page: ft.Page, on_network: Callable[[Network], None]) -> None:
        self._on_network = on_network
        self.service = ft.Connectivity()  # registers with the current page
        self.service.on_change = self._changed
        page.run_task(self._first_reading)

    async def _first_reading(self) -> None:
        try:
            self._on_network(network_of(await self.service.get_connectivity()))
        except Exception:  # an old client without the service: the network stays unknown
            log.exception("the phone's connection type could not be read")

    def _changed(self, event: ft.ConnectivityChangeEvent) -> None:
        self._on_network(network_of(event.connectivity))


def follow_phone_connectivity(page: ft.Page, updates: BackgroundUpdates) -> PhoneConnectivity | None:
    """On a phone build, let the connection type (and its changes) drive automatic checks."""
    if not runs_on_phone(page):
        return None
    return PhoneConnectivity(page, updates.set_network)
