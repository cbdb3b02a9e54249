"""The accessibility check other page tests rely on (tests/e2e/axe.py) really fails: an
unlabelled input is a serious violation, and the same page with a label passes."""

from __future__ import annotations

import pytest

from tests.e2e.axe import assert_accessible, axe_violations

pytestmark = pytest.mark.e2e
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title></head>
<body><main><h1>Form</h1><form>{field}<button type="submit">Send</button></form></main></body></html>"""


def test_axe_fails_a_page_with_an_unlabelled_input_and_passes_it_labelled(browser):
    page = browser.new_page()
    try:
        page.set_content(PAGE.format(field='<input name="phone">'))
        found = axe_violations(page)
        assert [v["id"] for v in found] == ["label"], found
        with pytest.raises(AssertionError, match="label"):
            assert_accessible(page, "the unlabelled form")
        page.set_content(PAGE.format(field='<label for="phone">Phone</label><input id="phone" name="phone">'))
        assert_accessible(page, "the labelled form")
    finally:
        page.close()
