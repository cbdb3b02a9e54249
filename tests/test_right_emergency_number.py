"""The Call button calls the right service, in every country of the content.

Before, home and every first-aid page offered the first emergency number listed for the
country, unlabelled: a burn in Singapore got 999 (police) while the ambulance is 995;
Pakistan got 16 (fire), Sri Lanka 110 (fire and rescue).
"""

from datetime import date

import pytest
from sqlmodel import Session

from app.content import queries
from app.content.dto import ContactCard
from app.content.embedded import ensure_embedded_installed
from app.content.emergency import first_aid_call, home_calls
from app.storage.engines import open_content_engine
from app.storage.paths import content_db
from app.views.common import service_call_label


@pytest.fixture(scope="module")
def shipped_contacts(tmp_path_factory) -> dict[str, list[ContactCard]]:
    """Every country's contacts as a phone reads them from the bundle the app ships."""
    home = tmp_path_factory.mktemp("home")
    ensure_embedded_installed(home)
    engine = open_content_engine(content_db(home))
    with Session(engine) as session:
        countries = [c.code for c in queries.list_countries(session, lang="en")]
        contacts = {code: queries.contacts_for(session, country=code, lang="en") for code in countries}
    engine.dispose()
    assert len(contacts) >= 28
    return contacts


def _countries():
    from app.content.rows import build_rows
    from app.content.source import read_source
    from app.storage.paths import CONTENT_SOURCE_DIR

    return sorted(c.code for c in build_rows(read_source(CONTENT_SOURCE_DIR)).countries)


@pytest.mark.parametrize("country", _countries())
def test_every_first_aid_call_is_an_ambulance_or_the_number_for_every_emergency(shipped_contacts, country):
    call = first_aid_call(shipped_contacts[country])
    if call is None:
        # No source names an ambulance here: the page says so instead of offering a guess.
        assert not [c for c in shipped_contacts[country] if {"ambulance", "all"} & set(c.services)]
        return
    assert call.contact.kind == "emergency" and call.contact.tel
    assert call.services in (("ambulance",), ("all",))
    assert call.services[0] in call.contact.services  # the label is what the source says


@pytest.mark.parametrize("country", _countries())
def test_home_shows_the_number_for_everything_or_each_main_service_labelled(shipped_contacts, country):
    calls = home_calls(shipped_contacts[country])
    assert calls, f"{country}: home shows no emergency number"
    assert len(calls) <= 3 and len({c.contact.id for c in calls}) == len(calls)
    everything = [c for c in shipped_contacts[country] if "all" in c.services]
    if everything:
        assert [c.contact.id for c in calls] == [everything[0].id]
    for call in calls:
        assert call.contact.kind == "emergency" and call.contact.tel
        assert set(call.services) <= set(call.contact.services)


@pytest.mark.parametrize(("country", "number"), [
    ("SG", "995"),   # not 999 (police)
    ("PK", "1122"),  # not 16 (fire)
    ("MY", "999"), ("AE", "998"), ("SA", "997"), ("TH", "1669"), ("NP", "102"), ("KR", "119"),
])
def test_the_ambulance_numbers_from_the_review(shipped_contacts, country, number):
    assert first_aid_call(shipped_contacts[country]).contact.dial == number


def test_sri_lanka_offers_no_fire_number_as_the_ambulance(shipped_contacts):
    assert first_aid_call(shipped_contacts["LK"]) is None


def test_singapore_home_shows_ambulance_and_fire_then_police(shipped_contacts):
    calls = home_calls(shipped_contacts["SG"])
    assert [(c.contact.dial, c.services) for c in calls] == [("995", ("ambulance", "fire")), ("999", ("police",))]


def _card(identifier: str, services: tuple[str, ...], dial: str = "112") -> ContactCard:
    return ContactCard(id=identifier, country="XX", kind="emergency", services=services, name=identifier, note="",
                       dial=dial, tel=f"tel:{dial}", website=None, source="s", verified_on=date(2026, 11, 23))


def test_a_number_whose_service_nobody_confirmed_is_never_the_first_aid_call():
    unknown = [_card("a", ("unknown",), "110"), _card("b", ("police",), "119")]
    assert first_aid_call(unknown) is None
    assert [(c.contact.id, c.services) for c in home_calls(unknown)] == [("b", ("police",))]
    assert [(c.contact.id, c.services) for c in home_calls(unknown[:1])] == [("a", ("unknown",))]


def test_a_number_without_a_valid_tel_link_is_never_offered():
    broken = _card("a", ("all",), "999, 112")
    broken = ContactCard(**{**broken.__dict__, "tel": None})
    assert first_aid_call([broken]) is None and home_calls([broken]) == []


@pytest.mark.parametrize(("services", "label"), [
    (("ambulance",), "Call 995 — ambulance"),
    (("all",), "Call 995 — all emergencies"),
    (("police",), "Call 995 — police"),
    (("fire",), "Call 995 — fire"),
    (("ambulance", "fire"), "Call 995 — ambulance and fire"),
    (("unknown",), "Call 995 — emergency number, service not confirmed"),
    (("police", "fire"), "Call 995 — police"),
])
def test_the_button_says_which_service_answers(services, label):
    assert service_call_label("995", services) == label
