"""A Call button only for a number that rings from where the person is.

Before, a Filipino worker in Saudi Arabia reading "If your passport is taken" got big
"Call 1348" (DMW-OWWA) and "Call 143" (Philippine Red Cross) buttons: short codes that ring
only on a phone in the Philippines. A short number is dialled only inside the country whose
contact file holds it; a full international number (+63…) from anywhere.
"""

import re

import pytest
from app.content import queries
from app.content.dialling import ANYWHERE, Dialling, number_to_dial
from app.content.dto import ContactCard

INTERNATIONAL_TEL = re.compile(r"tel:\+[1-9]\d{6,14}")


@pytest.fixture(scope="module")
def reading(shipped):
    """A session on the content the app ships, and the codes of its countries."""
    countries = [c.code for c in queries.list_countries(shipped, lang="en")]
    assert len(countries) >= 28
    return shipped, countries


def _everyone(session, countries, dialling) -> list[ContactCard]:
    by_country = queries.contacts_by_country(session, countries=countries, lang="en", dialling=dialling)
    return [card for cards in by_country.values() for card in cards]


def test_from_every_country_no_other_countrys_short_number_offers_a_call(reading):
    session, countries = reading
    shown_only = 0
    for here in countries:
        for card in _everyone(session, countries, Dialling.of(role="abroad", country=here, origin=None)):
            if card.country == here:
                assert card.dial_only_in is None, (here, card.id)
                continue
            if card.tel:  # only a full international number rings from another country
                assert INTERNATIONAL_TEL.fullmatch(card.tel), (here, card.id, card.tel)
                assert card.tel == f"tel:{card.dial}" and card.dial_only_in is None, (here, card.id)
            elif card.dial:  # a short number: shown with where it works, never as a Call
                assert card.dial_only_in == card.country and card.dial_only_in is not None, (here, card.id)
                assert not card.dial.startswith("+")
                shown_only += 1
    assert shown_only > 0  # the content has short numbers (1348, 143, …): the test tests something


def test_from_the_home_country_its_short_numbers_still_offer_a_call(reading):
    session, _ = reading
    cards = {c.id: c for c in queries.contacts_for(
        session, country="PH", lang="en", dialling=Dialling.of(role="abroad", country="PH", origin="PH"))}
    assert cards["ph-hotline-1348-dmw-owwa"].tel == "tel:1348"
    assert cards["ph-national-society"].tel == "tel:143"
    assert all(c.dial_only_in is None for c in cards.values())


def test_a_filipino_worker_in_saudi_arabia_sees_1348_and_143_without_a_call(reading):
    session, _ = reading
    dialling = Dialling.of(role="abroad", country="SA", origin="PH")
    cards = {c.id: c for c in queries.contacts_for(session, country="PH", lang="fil", dialling=dialling)}
    for contact_id, number in (("ph-hotline-1348-dmw-owwa", "1348"), ("ph-national-society", "143")):
        card = cards[contact_id]
        assert (card.dial, card.tel, card.dial_only_in) == (number, None, "PH")
    saudi = queries.contacts_for(session, country="SA", lang="fil", dialling=dialling)
    assert [c for c in saudi if c.kind == "emergency" and c.tel and not c.tel.startswith("tel:+")]


def test_those_at_home_dial_from_their_country_of_origin(reading):
    """Planning to go, or the family at home: the phone is in the country of origin, yet the
    emergency numbers of the chosen country are shown as they always were."""
    session, _ = reading
    for role in ("planning", "family"):
        dialling = Dialling.of(role=role, country="SA", origin="PH")
        home = {c.id: c for c in queries.contacts_for(session, country="PH", lang="en", dialling=dialling)}
        assert home["ph-hotline-1348-dmw-owwa"].tel == "tel:1348"
        for card in queries.contacts_for(session, country="SA", lang="en", dialling=dialling):
            if card.kind == "emergency":
                assert card.tel and card.dial_only_in is None, card.id
            elif card.tel:
                assert INTERNATIONAL_TEL.fullmatch(card.tel), card.id


def test_a_contact_with_both_numbers_offers_the_full_one_abroad():
    abroad = Dialling.of(role="abroad", country="SA", origin="PH")
    both = dict(country="PH", kind="hotline", short_number="1348", phone="+63212345678")
    assert number_to_dial(**both, dialling=abroad) == ("+63212345678", True)
    assert number_to_dial(**both, dialling=Dialling.of(role="abroad", country="PH", origin=None)) == ("1348", True)
    assert number_to_dial(country="PH", kind="hotline", short_number="1348", phone=None,
                          dialling=abroad) == ("1348", False)
    # Where the phone is is not known (no country chosen): the card is shown as it always was.
    assert number_to_dial(country="PH", kind="hotline", short_number="1348", phone=None,
                          dialling=ANYWHERE) == ("1348", True)
