"""One schema per item kind, apart from the tables; the source language defined once."""

import re
import subprocess
import sys

from app.content.bundle_format import ITEM_KINDS
from app.content.schemas import ITEM_SCHEMAS, SOURCE_LANGUAGE
from app.storage.paths import REPO_ROOT
from tests.factories import valid_items


def test_every_item_kind_has_a_schema_that_is_not_a_table():
    assert set(ITEM_SCHEMAS) == set(ITEM_KINDS)
    assert not any(getattr(schema, "__table__", None) is not None for schema in ITEM_SCHEMAS.values())


def test_a_schema_checks_a_whole_item_without_a_database():
    """What a staff editor will do with a form: validate one item, nested texts included."""
    item = valid_items()["contact/my-emergency.json"]
    contact = ITEM_SCHEMAS["contact"].model_validate(item)
    assert (contact.short_number, contact.texts["en"].name) == ("999", "Police and ambulance")


def test_the_source_language_is_defined_once():
    definitions = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in sorted((REPO_ROOT / "app").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*SOURCE_LANGUAGE\s*=", line)
    ]
    assert definitions == ["app/content/schemas.py:" + definitions[0].split(":")[1]] and SOURCE_LANGUAGE == "en"


def test_reading_installed_content_loads_no_source_parser():
    """The phone reads content at start; YAML, front matter and the number metadata are for publishing."""
    code = "import sys, app.content.queries, app.content.emergency; print(sorted(m for m in ('yaml', 'frontmatter', 'phonenumbers', 'app.content.source') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_words_the_screens_choose_numbers_by_are_the_schemas_services():
    from app.content import emergency
    from app.content.schemas import EmergencyService

    words = {emergency.ALL, emergency.AMBULANCE, emergency.POLICE, emergency.FIRE, emergency.UNKNOWN}
    assert words == {service.value for service in EmergencyService}
