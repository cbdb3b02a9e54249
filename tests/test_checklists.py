"""Checklists in articles: which lines are items, and how a tick finds its item again."""

from app.actions import CHECKLISTS_KEY
from app.content.checklists import Checklist, checklist_blocks, item_key
from app.storage import user_data

ARTICLE = """## Weeks before

- [ ] I have a copy of my **contract**.

- [x] I know the agency is licensed.
Some words after the list.

- a plain list item stays Markdown
"""


def test_checklist_lines_become_items_between_the_markdown_around_them():
    first, items, rest = checklist_blocks(ARTICLE)
    assert first == "## Weeks before"
    assert isinstance(items, Checklist)
    assert [item.text for item in items.items] == ["I have a copy of my contract.", "I know the agency is licensed."]
    assert rest == "Some words after the list.\n\n- a plain list item stays Markdown"


def test_an_item_keeps_its_key_when_the_list_is_reordered_and_loses_it_when_its_words_change():
    reordered = "- [ ] I know the agency is licensed.\n- [ ] I have a copy of my **contract**.\n"
    (old,) = [b for b in checklist_blocks(ARTICLE) if isinstance(b, Checklist)]
    (new,) = checklist_blocks(reordered)
    assert {item.key for item in old.items} == {item.key for item in new.items}
    assert item_key("I have a copy of my contract") != item_key("I have a copy of my **contract**.")


def test_an_article_without_a_checklist_is_one_markdown_block():
    assert checklist_blocks("Just text.\n\n- a list") == ["Just text.\n\n- a list"]


def test_ticks_are_personal_data_sealed_with_the_personal_key():
    assert user_data.setting_tier(CHECKLISTS_KEY) == user_data.PERSONAL
