"""python -m app.i18n_tools {extract,compile}: keep the gettext catalogs in step with the code."""

from __future__ import annotations

import subprocess
import sys

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.storage.paths import REPO_ROOT, TRANSLATIONS_DIR

POT_FILE = TRANSLATIONS_DIR / "messages.pot"


def extract() -> None:
    """Write translations/messages.pot from every `_()` in app/."""
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "--no-location", "--omit-header",
         "--sort-output", "-k", "_", "-k", "ngettext:1,2", "--add-comments", "Translators:",
         "-o", str(POT_FILE), "app"],
        cwd=REPO_ROOT, check=True, capture_output=True,
    )


def compile_catalogs() -> int:
    """Compile every translations/<lang>/LC_MESSAGES/messages.po to .mo; return how many."""
    count = 0
    for po_path in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        count += 1
    return count


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "compile"
    if command == "extract":
        extract()
    elif command == "compile":
        compile_catalogs()
    else:
        print("usage: python -m app.i18n_tools {extract,compile}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
