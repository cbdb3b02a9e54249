"""axe-core on the phone app's main screens, as Flutter's accessibility tree presents them to a
screen reader: every button, link, field, checkbox and switch has a name."""

from __future__ import annotations

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.test_shell import by_id

pytestmark = pytest.mark.e2e

# The rules about a control without a name (axe-core's "name" rules); the canvas Flutter draws
# on is hidden from screen readers, so its other rules (colour contrast, landmarks) cannot see
# what a person sees.
NAMING_RULES = {"button-name", "link-name", "label", "aria-input-field-name", "aria-toggle-field-name",
                "aria-command-name", "input-button-name", "select-name", "image-alt"}
SCREENS = {
    "": "home-call-emergency",
    "contacts": "nav-contacts",
    "saved": "nav-saved",
    "settings": "nav-settings",
    "topics/what-if/articles/passport-taken": "article-title",
    "topics/packing-list/articles/pre-departure-checklist": "article-title",
    "help/tracing": "nav-home",
}


@pytest.mark.parametrize("path", list(SCREENS))
def test_every_control_on_a_main_screen_has_a_name(open_page, path):
    page = open_page(path)
    by_id(page, SCREENS[path]).first.wait_for()
    page.wait_for_timeout(500)  # the tree settles after the first frame
    unnamed = [v for v in axe_violations(page, impacts=("minor", "moderate", "serious", "critical"))
               if v["id"] in NAMING_RULES]
    assert not unnamed, unnamed
