"""Content that could hurt is refused before it is signed, and defused if it reaches a phone.

Each case comes from the review: `'999, 112'` dialled tel:999112, `'15999 ext 2'` dialled
tel:159992, a `file:///etc/passwd` website was handed to the browser, and an article image
(`http://host/pixel.png?read=passport-taken`) was fetched when the article opened.
"""

import sqlite3

import pytest
from sqlmodel import Session

from app.content import queries
from app.content.errors import ContentError
from app.content.remote_images import remote_images, without_remote_images
from app.content.rows import build_rows
from app.content.schemas import ContactItem, https_website, tel_uri
from app.storage.engines import open_content_engine
from app.storage.paths import content_db
from tests.factories import STAMP, valid_items

TRACKER = "![x](http://host/pixel.png?read=passport-taken)"


def _refused(path: str, **changes) -> str:
    items = valid_items()
    items[path].update(changes)
    with pytest.raises(ContentError) as error:
        build_rows(items)
    return str(error.value)


@pytest.mark.parametrize("number", ["999, 112", "15999 ext 2", "999;112", "9 9 9", "999#", "+999", "1", "123456789", "٩٩٩"])
def test_a_short_number_is_digits_only(number):
    assert "must be 2 to 8 digits" in _refused("contact/my-emergency.json", short_number=number)


@pytest.mark.parametrize("phone", ["+60 3-2142 8122", "+60321428122 ext 2", "+60321428122,2", "0321428122", "+60321428122;ext=2"])
def test_a_full_number_is_exactly_e164(phone):
    assert "E.164" in _refused("contact/my-red-crescent.json", phone=phone)


@pytest.mark.parametrize("number", ["1234", "16008", "995"])
def test_an_emergency_contact_must_be_an_emergency_number_of_its_country(number):
    # 995 is Singapore's ambulance, not a Malaysian emergency number.
    assert "is not an emergency number in MY" in _refused("contact/my-emergency.json", short_number=number)


def test_an_emergency_number_from_anywhere_is_checked_the_same_way():
    """A future editor builds the same schema: no file, no bundle, same refusal."""
    item = valid_items()["contact/my-emergency.json"] | {"short_number": "1234"}
    with pytest.raises(ValueError, match="not an emergency number in MY"):
        ContactItem.model_validate(item)


@pytest.mark.parametrize("number", ["1348", "1989", "19911", "16008", "15999"])
def test_other_short_numbers_need_only_digits_and_a_source(number):
    """libphonenumber does not know every hotline: a sourced hotline is kept as written."""
    items = valid_items()
    items["contact/my-hotline.json"] = {
        "id": "my-hotline", "country": "MY", "kind": "hotline", "phone": None, "short_number": number,
        "website": None, "source": "A sourced page", "verified_on": "2026-11-23", "updated_at": STAMP,
        "texts": {"en": {"name": "A hotline", "note": ""}},
    }
    assert [c.short_number for c in build_rows(items).contacts if c.id == "my-hotline"] == [number]


@pytest.mark.parametrize("website", [
    "file:///etc/passwd", "http://www.redcross.sg", "javascript:alert(1)", "https://", "ftp://host/x",
    "https://user:secret@host.example", "https://host.example/a b", "//host.example", "redcross.sg",
    # hidden characters: a control, zero-width spaces, a right-to-left override, a no-break space
    "https://www.redcross.sg/\x00", "https://www.red\u200bcross.sg", "https://www.redcross.sg\u200b",
    "https://www.redcross.sg/\u202egs.ssorcder", "https://www.redcross.sg/\u00a0", "https://www.redcross.sg/\t",
    # IP addresses, however written, and names that are not on the internet
    "https://127.0.0.1/", "https://[::1]/", "https://2130706433/", "https://0x7f.0.0.1/", "https://10.0.0.1:443/",
    "https://localhost/",
    # ports
    "https://www.redcross.sg:8080/", "https://www.redcross.sg:99999/", "https://www.redcross.sg:/",
    "https://www.redcross.sg:abc/",
])
def test_a_website_must_be_a_plain_https_address(website):
    assert "must be a plain https:// address" in _refused("contact/my-red-crescent.json", website=website)


@pytest.mark.parametrize("website", [
    "https://www.redcross.sg", "https://familylinks.icrc.org", "https://www.redcross.sg:443/en/contact?x=1#top",
    "https://xn--80ak6aa92e.com/", "https://WWW.RedCross.SG/",
])
def test_plain_https_websites_pass(website):
    assert https_website(website) == website


@pytest.mark.parametrize("image", [
    TRACKER, "![x](https://host/p.png)", "![x](//host/p.png)", "![x](file:///etc/passwd)",
    "![x](data:image/png;base64,AAAA)", "![x]( <http://host/p.png> )", "![x][p]\n\n[p]: http://host/p.png",
    "![p]\n\n[p]: https://host/p.png", '<img src="http://host/p.png">',
])
def test_publishing_refuses_images_from_the_network(image):
    message = _refused("text/en/keep-documents.json", body=f"Keep your papers safe.\n\n{image}\n")
    assert "images must not load from the network" in message


@pytest.mark.parametrize("markdown", ["![Map of the office](map.png)", "[Red Cross](https://www.redcross.sg)", "Call 999."])
def test_local_images_and_plain_links_are_not_taken_for_remote_images(markdown):
    assert remote_images(markdown) == [] and without_remote_images(markdown) == markdown


@pytest.mark.parametrize(("number", "link"), [
    ("999", "tel:999"), ("1669", "tel:1669"), ("+60321428122", "tel:+60321428122"),
    ("999, 112", None), ("999112 ", None), ("15999 ext 2", None), ("+60 3 2142 8122", None), ("", None), (None, None),
    ("javascript:alert(1)", None), ("999\n112", None),
])
def test_the_only_way_to_a_tel_link_keeps_a_number_whole_or_refuses_it(number, link):
    assert tel_uri(number) == link


def _tamper(home, sql: str, *params) -> None:
    """What an edited or damaged content.db on the phone would hold."""
    with sqlite3.connect(content_db(home)) as connection:
        connection.execute(sql, params)


def test_a_tampered_number_on_the_phone_gets_no_call_button(installed_home):
    _tamper(installed_home, "UPDATE contact SET short_number = ? WHERE id = 'my-emergency'", "999, 112")
    _tamper(installed_home, "UPDATE contact SET website = ? WHERE id = 'my-red-crescent'", "file:///etc/passwd")
    with Session(open_content_engine(content_db(installed_home))) as session:
        cards = {c.id: c for c in queries.contacts_for(session, country="MY", lang="en")}
    assert cards["my-emergency"].tel is None  # the view shows a Call button only for a tel link
    assert cards["my-red-crescent"].website is None


def test_a_tracker_image_that_reaches_the_phone_is_never_rendered(installed_home):
    _tamper(installed_home, "UPDATE articletext SET body = ? WHERE article_id = 'keep-documents' AND lang = 'en'",
            f"Keep your papers safe.\n\n{TRACKER}\n")
    with Session(open_content_engine(content_db(installed_home))) as session:
        article = queries.get_article(session, article_id="keep-documents", lang="en")
    assert "http" not in article.body_markdown and "Keep your papers safe." in article.body_markdown


# Ways to write an image that patterns miss but a CommonMark renderer draws (each was
# fetched in Chromium before the parser check).
DISGUISED_IMAGES = [
    "![a](http\\://host/1.png)",
    "![a](http&#58;//host/2.png)",
    "![a](&#104;ttp://host/3.png)",
    "![a [b] c](http://host/4.png)",
    "![a\\]b](http://host/5.png)",
    "![x][t]\n\n> [t]: http://host/6.png",
    "![x][t]\n\n- [t]: http://host/7.png",
    "![x][a  b]\n\n[a b]: http://host/8.png",
    "![x](file:///etc/passwd)",
]


@pytest.mark.parametrize("image", DISGUISED_IMAGES)
def test_disguised_images_are_refused_and_never_drawn(image):
    body = f"Keep your papers safe!\n\n{image}\n"
    assert "images must not load from the network" in _refused("text/en/keep-documents.json", body=body)
    shown = without_remote_images(body)
    assert remote_images(shown) == [] and "Keep your papers safe" in shown
