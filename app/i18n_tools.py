"""python -m app.i18n_tools {extract,update,compile,check,status}: keep the gettext catalogs in step.

    extract   app/**.py → translations/messages.pot (Babel, configured in pyproject's [tool.babel])
    update    messages.pot → translations/<lang>/LC_MESSAGES/messages.po (new ones are created)
    compile   every messages.po → messages.mo; fails on a broken catalog or placeholder mismatch
    check     like compile, without writing
    status    per language: UI strings translated, content articles translated and reviewed

`make translations` runs extract, update and compile. The .po files are committed; the
.mo files are build output.
"""

from __future__ import annotations

import argparse
import json
import os
import string
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext

from app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.storage.paths import CONTENT_SOURCE_DIR, REPO_ROOT, TRANSLATIONS_DIR

POT_FILE = TRANSLATIONS_DIR / "messages.pot"
PROJECT = "Safe Journey"
COPYRIGHT = "Red Cross Red Crescent Asia Pacific"
TRANSLATED_LANGUAGES = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)


class CatalogError(Exception):
    """A catalog that must not ship: unreadable, or a translation that would break at run time."""


def po_path(lang: str) -> Path:
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, abort_invalid=True)


# ---- extract ------------------------------------------------------------------------

def extract(output: Path = POT_FILE) -> Path:
    """Write a template of every marked string in app/ (`_()`, `ngettext()`, `# Translators:`).

    The mapping, keywords and comment tags are in pyproject.toml's [tool.babel] (Babel ≥ 2.15
    reads it with `-F pyproject.toml`). If only the header's date would change, the file is
    left as it was, so extracting twice gives no diff.
    """
    output = Path(output)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "messages.pot"
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "pyproject.toml",
             "--sort-output", "--add-location=file", "--width=100",
             f"--project={PROJECT}", f"--copyright-holder={COPYRIGHT}", "-o", str(fresh), "app"],
            cwd=REPO_ROOT, check=True, capture_output=True,
        )
        if output.exists() and _same_messages(read_catalog(output), read_catalog(fresh)):
            return output
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(fresh.read_bytes())
    return output


def _message_key(message: Message) -> tuple:
    return (message.id, message.context, tuple(message.locations), tuple(message.auto_comments),
            tuple(sorted(message.flags)))


def _same_messages(old: Catalog, new: Catalog) -> bool:
    return [_message_key(m) for m in old if m.id] == [_message_key(m) for m in new if m.id]


def msgids(catalog: Catalog) -> set:
    """The message ids of a catalog (a tuple for plural messages), without the header."""
    return {message.id for message in catalog if message.id}


# ---- update -------------------------------------------------------------------------

def cldr_plural_forms(lang: str) -> str:
    """The gettext Plural-Forms header from CLDR's plural rules (Babel's own table lacks some
    languages: it gives Burmese, Malay and Indonesian two forms, CLDR one)."""
    return to_gettext(Locale.parse(lang).plural_form)


def _set_plural_forms(catalog: Catalog, lang: str) -> None:
    catalog.mime_headers = [("Plural-Forms", cldr_plural_forms(lang))]


def new_catalog(lang: str, template: Catalog) -> Catalog:
    """A fresh, untranslated catalog for `lang` with the template's messages (pybabel init)."""
    catalog = Catalog(locale=lang, domain="messages", project=PROJECT, copyright_holder=COPYRIGHT,
                      fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, ignore_obsolete=True, include_previous=True)


def update(languages: tuple[str, ...] = TRANSLATED_LANGUAGES) -> list[str]:
    """Bring every language's catalog in step with messages.pot; return the languages written.

    New msgids arrive untranslated; a changed msgid keeps its old translation marked fuzzy
    (not used until a translator checks it); removed msgids are dropped.
    """
    template = read_catalog(POT_FILE)
    written = []
    for lang in languages:
        path = po_path(lang)
        if path.exists():
            catalog = read_catalog(path, lang)
            catalog.update(template, update_header_comment=False)
        else:
            catalog = new_catalog(lang, template)
        _set_plural_forms(catalog, lang)
        write_catalog(catalog, path)
        written.append(lang)
    return written


# ---- checks and compile ---------------------------------------------------------------

def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a str.format string (`{{` is a literal brace)."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def _forms(value) -> list[str]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def placeholder_problems(catalog: Catalog) -> list[str]:
    """Translations whose `{placeholders}` differ from the English (they would crash `.format`).

    A plural translation may leave the number out of a form (Arabic's "one" form often does),
    but may not use a field the English lacks, and its last form must have all of them.
    """
    problems = []
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        sources = _forms(message.id)
        wanted = set().union(*(placeholders(s) for s in sources))
        forms = [f for f in _forms(message.string) if f]
        if not message.pluralizable:
            if placeholders(forms[0]) != wanted:
                problems.append(f"{catalog.locale}: {message.id!r}: {placeholders(forms[0])} ≠ {wanted}")
            continue
        for form in forms:
            extra = placeholders(form) - wanted
            if extra:
                problems.append(f"{catalog.locale}: {sources[0]!r}: unknown {extra} in {form!r}")
        missing = placeholders(sources[-1]) - placeholders(forms[-1]) if forms else set()
        if missing:
            problems.append(f"{catalog.locale}: {sources[-1]!r}: last form lacks {missing}")
    return problems


def catalog_problems(catalog: Catalog) -> list[str]:
    """Babel's own checks (plural counts, %-format) and our placeholder check."""
    problems = [f"{catalog.locale}: {message.id!r}: {error}"
                for message, errors in catalog.check() for error in errors]
    return problems + placeholder_problems(catalog)


def check_catalogs(languages: tuple[str, ...] = TRANSLATED_LANGUAGES) -> list[str]:
    problems = []
    for lang in languages:
        path = po_path(lang)
        if not path.exists():
            problems.append(f"{lang}: no catalog at {path.relative_to(REPO_ROOT)}")
            continue
        try:
            problems += catalog_problems(read_catalog(path, lang))
        except Exception as error:  # a syntax error in the .po
            problems.append(f"{lang}: cannot read {path.name}: {error}")
    return problems


def compile_catalogs(languages: tuple[str, ...] | None = None) -> int:
    """Compile each catalog to .mo (fuzzy entries left out); return how many.

    Raises CatalogError, writing nothing, if any catalog has a problem.
    """
    paths = ([po_path(lang) for lang in languages] if languages
             else sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po")))
    langs = tuple(path.parent.parent.name for path in paths)
    problems = check_catalogs(langs)
    if problems:
        raise CatalogError("\n".join(problems))
    for path, lang in zip(paths, langs):
        catalog = read_catalog(path, lang)
        # Written beside it, then renamed over it: a running app (or a test in another process)
        # reading the catalog meanwhile sees the old file or the new one, never half of one.
        partial = path.with_name(f".{path.stem}.{os.getpid()}.mo")
        with partial.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.replace(partial, path.with_suffix(".mo"))
    return len(paths)


# ---- status -------------------------------------------------------------------------

# Translation progress of one language.
@dataclass(frozen=True)
class LanguageStatus:
    lang: str
    name: str
    ui_translated: int
    ui_total: int
    ui_fuzzy: int
    content_translated: int
    content_reviewed: int
    content_total: int

    @property
    def ui_percent(self) -> float:
        return round(100.0 * self.ui_translated / self.ui_total, 1) if self.ui_total else 100.0

    def as_dict(self) -> dict:
        return asdict(self) | {"ui_percent": self.ui_percent}


def ui_counts(lang: str) -> tuple[int, int, int]:
    """(translated, total, fuzzy) UI strings of a language, against messages.pot."""
    template_ids = msgids(read_catalog(POT_FILE))
    if lang == DEFAULT_LANGUAGE:
        return len(template_ids), len(template_ids), 0
    path = po_path(lang)
    if not path.exists():
        return 0, len(template_ids), 0
    translated = fuzzy = 0
    for message in read_catalog(path, lang):
        if message.id not in template_ids:
            continue
        if message.fuzzy:
            fuzzy += 1
        elif all(_forms(message.string)):
            translated += 1
    return translated, len(template_ids), fuzzy


def _front_matter(path: Path) -> dict:
    import yaml

    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    head = text.split("---", 2)[1]
    return yaml.safe_load(head) or {}


def content_counts(lang: str, content_dir: Path = CONTENT_SOURCE_DIR) -> tuple[int, int, int]:
    """(translated, reviewed, total) articles: content/translations/<lang>/<id>.md for an
    article that exists in English; reviewed means `reviewed: true` in its front matter."""
    english = {path.stem for path in (content_dir / "articles").glob("*.md")}
    if lang == DEFAULT_LANGUAGE:
        return len(english), len(english), len(english)
    translated = reviewed = 0
    for path in sorted((content_dir / "translations" / lang).glob("*.md")):
        if path.stem not in english:
            continue
        translated += 1
        if _front_matter(path).get("reviewed") is True:
            reviewed += 1
    return translated, reviewed, len(english)


def translation_status(languages: tuple[str, ...] = LANGUAGES) -> list[LanguageStatus]:
    from app.locale_data import language_name

    rows = []
    for lang in languages:
        ui_done, ui_total, ui_fuzzy = ui_counts(lang)
        done, reviewed, total = content_counts(lang)
        rows.append(LanguageStatus(lang, language_name(lang), ui_done, ui_total, ui_fuzzy, done, reviewed, total))
    return rows


def status_table(rows: list[LanguageStatus]) -> str:
    """A Markdown table, one row per language."""
    lines = ["| lang | name | UI translated | UI % | content translated | content reviewed |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        fuzzy = f" (+{r.ui_fuzzy} fuzzy)" if r.ui_fuzzy else ""
        lines.append(f"| {r.lang} | {r.name} | {r.ui_translated}/{r.ui_total}{fuzzy} | {r.ui_percent:.1f} | "
                     f"{r.content_translated}/{r.content_total} | {r.content_reviewed}/{r.content_total} |")
    return "\n".join(lines)


def print_status(as_json: bool = False, out=None) -> None:
    out = out or sys.stdout
    rows = translation_status()
    if as_json:
        print(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2), file=out)
    else:
        print(status_table(rows), file=out)


# ---- command line -------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.i18n_tools", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="compile",
                        choices=["extract", "update", "compile", "check", "status", "all"])
    parser.add_argument("--json", action="store_true", help="status as JSON")
    args = parser.parse_args(argv)
    try:
        if args.command in ("extract", "all"):
            print(f"extracted {len(msgids(read_catalog(extract())))} messages to {POT_FILE.relative_to(REPO_ROOT)}")
        if args.command in ("update", "all"):
            print(f"updated {len(update())} catalogs")
        if args.command in ("compile", "all"):
            print(f"compiled {compile_catalogs()} catalogs")
        if args.command == "check":
            problems = check_catalogs()
            print("\n".join(problems) or "all catalogs are fine")
            return 1 if problems else 0
        if args.command == "status":
            print_status(as_json=args.json)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
