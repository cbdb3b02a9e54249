"""An embassy contact says whose embassy it is (`for_country`), and a guide shows a person
their own country's embassy only: a Nepali worker in Malaysia sees Nepal's, never Bangladesh's."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.content import queries
from app.content.bundle_format import item_path
from app.content.dto import ArticleDetail
from app.content.embedded import ensure_embedded_installed
from app.content.errors import ContentError
from app.content.guide_contacts import guide_contact_groups
from app.content.rows import build_rows
from app.content.source import read_source
from app.storage.engines import open_content_engine
from app.storage.paths import CONTENT_SOURCE_DIR, content_db
from tests.factories import NOW, STAMP, sign_bundle, valid_items


def _embassy(for_country: str | None = "np", **changes) -> dict:
    item = {
        "id": "my-embassy-np", "country": "MY", "kind": "embassy", "phone": None, "short_number": None,
        "website": "https://my.nepalembassy.gov.np", "source": "https://my.nepalembassy.gov.np/attestation/",
        "verified_on": "2026-11-27", "updated_at": STAMP, "texts": {"en": {"name": "Embassy of Nepal", "note": ""}},
    }
    if for_country is not None:
        item["for_country"] = for_country
    return item | changes


def _items(embassy: dict) -> dict[str, dict]:
    items = valid_items()
    items[item_path("contact", embassy["id"])] = embassy
    return items


def test_an_embassy_names_whose_it_is_in_capitals():
    rows = build_rows(_items(_embassy("np")))
    assert {c.id: c.for_country for c in rows.contacts} == {"my-emergency": None, "my-red-crescent": None,
                                                           "my-embassy-np": "NP"}


@pytest.mark.parametrize("embassy, message", [
    (_embassy(None), "'for_country' must name whose embassy it is"),
    (_embassy("MY"), "'for_country' must name whose embassy it is"),  # Malaysia's own embassy in Malaysia
    (_embassy("XX"), "unknown country code"),
    (_embassy("BD"), "country 'BD' is not in countries.yaml"),
    (_embassy("NP", kind="national_society"), "only embassies have 'for_country'"),
])
def test_an_embassy_without_a_country_of_its_own_is_refused(embassy, message):
    with pytest.raises(ContentError, match=message):
        build_rows(_items(embassy))


def _guide() -> ArticleDetail:
    return ArticleDetail(id="passport-taken", kind="what_if", topic_id="what-if", lang="en", is_fallback=False,
                         reviewed=True, title="If your passport is taken", summary="", body_markdown="x", source="x",
                         updated_at=NOW, contact_kinds=("emergency", "embassy"))


def test_a_guide_shows_the_readers_own_embassy_and_otherwise_what_to_do(tmp_path):
    items = _items(_embassy("np"))
    _, root = sign_bundle(tmp_path / "bundle", items)
    (tmp_path / "root.json").write_bytes(root)
    home = tmp_path / "home"
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=tmp_path / "bundle", trusted_root_file=tmp_path / "root.json")
    with Session(open_content_engine(content_db(home))) as session:
        def groups(origin):
            return guide_contact_groups(_guide(), where="MY", origin=origin,
                                        contacts_of=lambda code: queries.contacts_for(session, country=code, lang="en"),
                                        no_society=lambda code: None)
        (nepali,) = groups("NP")
        (thai,) = groups("TH")  # a Thai reader: Nepal's embassy is no help, the guide says what to do instead
        (unknown,) = groups(None)  # no origin chosen yet: every embassy there, each named
    assert [c.id for c in nepali.contacts] == ["my-emergency", "my-embassy-np"]
    assert nepali.contacts[1].for_country == "NP" and nepali.missing == ()
    assert [c.id for c in thai.contacts] == ["my-emergency"] and thai.missing == ("embassy",)
    assert [c.id for c in unknown.contacts] == ["my-emergency", "my-embassy-np"]


def test_the_shipped_embassies_each_name_their_country_and_a_source_of_their_government():
    items = read_source(CONTENT_SOURCE_DIR)
    embassies = {c.id: c for c in build_rows(items).contacts if c.kind == "embassy"}
    assert len(embassies) >= 4
    assert {c.for_country for c in embassies.values()} >= {"NP", "BD", "PH", "IN"}
    # Every one has a way to reach it on the card, on its own government's website.
    assert all(c.website and c.website.startswith("https://") for c in embassies.values())
    assert all(".gov." in c.website for c in embassies.values())
