"""Example and test content never ships: the Gulf home screens once opened on
"EXAMPLE NOTICE … not a real warning", which pushed the Call button below the fold."""

import json
import re
import shutil

import pytest

from app.content.errors import ContentError
from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR, EMBEDDED_BUNDLE_DIR

# Words only example or test content uses (case-sensitive: "for example" in advice is fine).
TEST_WORDS = re.compile(r"\bEXAMPLE\b|\bnot a real warning\b|\bused for testing\b|\bfor testing\b|\bTEST NOTICE\b")


def _walk(value, found: list[str], where: str) -> None:
    if isinstance(value, dict):
        if value.get("example") is True:
            found.append(f"{where}: marked example")
        for key, inner in value.items():
            _walk(inner, found, f"{where}/{key}")
    elif isinstance(value, list):
        for position, inner in enumerate(value):
            _walk(inner, found, f"{where}[{position}]")
    elif isinstance(value, str) and TEST_WORDS.search(value):
        found.append(f"{where}: {TEST_WORDS.search(value).group(0)!r}")


def example_content(bundle_dir) -> list[str]:
    """Every example-marked item or test wording in the signed files of a bundle."""
    found: list[str] = []
    for path in sorted((bundle_dir / "targets").rglob("*.json")):
        _walk(json.loads(path.read_bytes()), found, path.name)
    return found


def test_the_bundle_the_app_ships_holds_no_example_or_test_content():
    assert sorted((EMBEDDED_BUNDLE_DIR / "targets").rglob("*.json")), "no signed content files found"
    assert example_content(EMBEDDED_BUNDLE_DIR) == []


def test_the_check_finds_example_content_where_there_is_some(tmp_path):
    shutil.copytree(EMBEDDED_BUNDLE_DIR, tmp_path / "bundle")
    pack = next((tmp_path / "bundle" / "targets").rglob("*.json"))
    data = json.loads(pack.read_bytes())
    data["notice/x.json"] = {"id": "x", "example": True, "texts": {"en": {"title": "EXAMPLE NOTICE"}}}
    pack.write_text(json.dumps(data))
    assert len(example_content(tmp_path / "bundle")) == 2


def test_an_example_notice_in_the_content_source_is_refused(tmp_path):
    source = tmp_path / "content"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    (source / "notices" / "heat.yaml").write_text(
        "id: heat\ncountries: [AE]\nseverity: warning\nstarts: 2026-11-01\nends: 2027-01-01\nexample: true\n"
        "title: {en: 'EXAMPLE NOTICE'}\nbody: {en: 'Not a real warning.'}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="example content must not be published"):
        read_source(source)
