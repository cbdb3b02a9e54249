"""A guide's "see **Electric shock**" opens that page, for a screen reader too."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import ONBOARDED
from tests.e2e.test_shell import by_id, scroll_to


def test_the_phone_taken_guide_opens_the_page_it_names(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED)
    page = open_url(app.url + "articles/phone-taken")
    # "see **When work becomes exploitation**" in the text; that page is not in its related list.
    # Flutter's web engine reads an in-text link as plain words: the named page is a related tile too.
    tile = scroll_to(page, by_id(page, "related-when-work-becomes-exploitation"))
    shoot(page, "article-cross-link")
    tile.click()
    expect(by_id(page, "article-title")).to_have_text("When work becomes exploitation")
