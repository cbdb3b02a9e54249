"""Which emergency number a screen offers, and for which service.

A first-aid page calls an ambulance; home shows the one number for every emergency, or
the main ones (ambulance, police, fire) side by side. Only the service a source gave
counts: a number whose service is `unknown` is never offered as "the ambulance".
"""

from __future__ import annotations

from dataclasses import dataclass

from app.content.dto import ContactCard

# Values of schemas.EmergencyService, as plain words: views import this module, and views
# never load the schemas' database layer (sqlmodel).
ALL, AMBULANCE, POLICE, FIRE, UNKNOWN = "all", "ambulance", "police", "fire", "unknown"
# Home shows these, in this order, when a country has no single number for everything.
MAIN_SERVICES = (AMBULANCE, POLICE, FIRE)
# A first-aid page calls one of these, the first found.
FIRST_AID_SERVICES = (AMBULANCE, ALL)


# A number to call and the services it is offered for (what the button says).
@dataclass(frozen=True)
class EmergencyCall:
    contact: ContactCard
    services: tuple[str, ...]  # ("all",) | ("ambulance",) | ("ambulance", "fire") | ("unknown",) …


def _callable(contacts: list[ContactCard]) -> list[ContactCard]:
    return [c for c in contacts if c.kind == "emergency" and c.tel]


def _serving(contacts: list[ContactCard], service: str) -> ContactCard | None:
    return next((c for c in _callable(contacts) if service in c.services), None)


def first_aid_call(contacts: list[ContactCard]) -> EmergencyCall | None:
    """The ambulance (or the number for every emergency); None when no source names one."""
    for service in FIRST_AID_SERVICES:
        contact = _serving(contacts, service)
        if contact is not None:
            return EmergencyCall(contact, (service,))
    return None


def home_calls(contacts: list[ContactCard]) -> list[EmergencyCall]:
    """The number for every emergency; else ambulance, police and fire, each once.

    With no service known at all, the country's emergency numbers are still shown (marked
    as unconfirmed): a number the law says is an emergency number beats no number."""
    everything = _serving(contacts, ALL)
    if everything is not None:
        return [EmergencyCall(everything, (ALL,))]
    calls: list[EmergencyCall] = []
    for service in MAIN_SERVICES:
        contact = _serving(contacts, service)
        if contact is not None and contact.id not in {call.contact.id for call in calls}:
            # One number may answer for two services (Singapore's 995: ambulance and fire).
            calls.append(EmergencyCall(contact, tuple(s for s in MAIN_SERVICES if s in contact.services)))
    if calls:
        return calls
    return [EmergencyCall(c, (UNKNOWN,)) for c in _callable(contacts)[:3]]
