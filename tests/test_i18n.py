"""Languages: catalogs compile and cover the UI, fonts cover every script, RTL, locale data, search."""

from __future__ import annotations

import contextvars
import gc
import gettext
import io
import json
import re
import shutil
import subprocess
import sys
import unicodedata
import weakref
from datetime import date, datetime
from functools import cache
from types import SimpleNamespace

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from app import i18n
from app.fonts import FONT_FILES, LATIN, fallback_families, font_family_for, font_files_in_loading_order
from app.i18n import LANGUAGES, _, ngettext, set_language
from app.i18n_tools import (
    POT_FILE, TRANSLATED_LANGUAGES, catalog_problems, compile_catalogs, content_counts, extract, msgids,
    placeholder_problems, po_path, read_catalog, translation_status,
)
from app.locale_data import country_name, format_phone_for_display, is_rtl, language_choices, native_digits
from app.locale_setup import TEXT_STYLE_NAMES, apply_locale
from app.storage.paths import ASSETS_DIR, CONTENT_SOURCE_DIR, REPO_ROOT
from app.views.common import long_date  # what the screens call

REQUIRED = ("en", "ne", "bn", "hi", "ur", "si", "ta", "id", "fil", "my", "km", "vi", "th", "ms", "ar")
MIN_COVERAGE = 0.95


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    set_language("en")


def test_every_required_language_is_offered():
    assert set(REQUIRED) <= set(LANGUAGES)
    assert LANGUAGES[0] == "en"


# ---- catalogs ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_catalog_reads_checks_and_compiles(lang):
    catalog = read_catalog(po_path(lang), lang)  # abort_invalid: a syntax error fails here
    assert catalog_problems(catalog) == []
    assert str(catalog.locale) == lang
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    assert buffer.getvalue()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_gnu_msgfmt_accepts_the_catalog(lang, tmp_path):
    assert shutil.which("msgfmt"), "GNU gettext is missing: `make test` installs Debian's gettext"
    result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "m.mo"), str(po_path(lang))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_compile_writes_a_mo_per_catalog():
    assert compile_catalogs() == len(TRANSLATED_LANGUAGES)
    for lang in TRANSLATED_LANGUAGES:
        assert po_path(lang).with_suffix(".mo").stat().st_size > 0


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_ui_coverage_is_at_least_95_percent(lang):
    template = msgids(read_catalog(POT_FILE))
    catalog = read_catalog(po_path(lang), lang)
    translated = {m.id for m in catalog if m.id in template and not m.fuzzy
                  and all(m.string if isinstance(m.string, (list, tuple)) else [m.string])}
    missing = sorted(str(i) for i in template - translated)
    assert len(translated) / len(template) >= MIN_COVERAGE, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_catalog_is_in_step_with_the_template(lang):
    """`make translations` (update) was run after the last extract."""
    assert msgids(read_catalog(po_path(lang), lang)) == msgids(read_catalog(POT_FILE))


_CLDR_ORDER = ["zero", "one", "two", "few", "many", "other"]


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_plural_forms_header_matches_cldr(lang):
    catalog = read_catalog(po_path(lang), lang)
    tags = sorted(Locale.parse(lang).plural_form.tags | {"other"}, key=_CLDR_ORDER.index)
    assert catalog.num_plurals == len(tags)
    # Python's gettext can evaluate the expression, and it picks CLDR's category for each n.
    plural = gettext.c2py(catalog.plural_expr)
    for n in (0, 1, 2, 3, 5, 11, 21, 100, 102):
        assert tags[plural(n)] == Locale.parse(lang).plural_form(n), (lang, n)
    for message in catalog:
        if message.pluralizable and message.string and any(message.string):
            assert len(message.string) == catalog.num_plurals, message.id


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_the_what_if_tile_reads_as_the_topic_it_opens(lang):
    """The home screen shows both: the "What if…" tile (a catalog msgid) and the what-if topic
    (its title from content). One thing, one name in each language."""
    import yaml

    topics = yaml.safe_load((CONTENT_SOURCE_DIR / "topics.yaml").read_text(encoding="utf-8"))
    [what_if] = [t for t in topics if t["id"] == "what-if"]
    assert read_catalog(po_path(lang), lang)["What if…"].string == what_if["title"][lang]


def test_extraction_is_up_to_date_with_the_code(tmp_path):
    fresh = extract(tmp_path / "messages.pot")
    committed, current = msgids(read_catalog(POT_FILE)), msgids(read_catalog(fresh))
    assert current == committed, (
        f"run `make translations`: new {sorted(map(str, current - committed))[:5]}, "
        f"gone {sorted(map(str, committed - current))[:5]}")


def test_template_keeps_translator_comments_and_plurals():
    template = read_catalog(POT_FILE)
    assert any(c.startswith("Translators:") for m in template for c in m.auto_comments)


def test_source_strings_never_say_illegal():
    offending = [m.id for m in read_catalog(POT_FILE) if m.id and re.search(r"\billegal", str(m.id), re.I)]
    assert offending == []


def test_placeholder_check_catches_a_renamed_or_dropped_field():
    catalog = Catalog(locale="ne")
    catalog.add("Call {number}", "{नम्बर} मा फोन गर्नुहोस्")
    catalog.add("Updated {date}", "अद्यावधिक")
    catalog.add(("{n} article", "{n} articles"), ("{n} लेख", "{count} लेखहरू"))
    catalog.add("Saved {name}", "{name} सुरक्षित")
    problems = placeholder_problems(catalog)
    assert len(problems) == 4 and not any("Saved" in p for p in problems)
    assert any("unknown {'count'}" in p for p in problems) and any("lacks {'n'}" in p for p in problems)


def test_plural_form_may_drop_the_number_but_not_invent_a_field():
    catalog = Catalog(locale="ar")
    catalog.add(("{n} article", "{n} articles"), ("لا مقالات", "مقالة واحدة", "مقالتان", "{n} مقالات", "{n} مقالة", "{n} مقالة"))
    assert placeholder_problems(catalog) == []


# ---- switching language -------------------------------------------------------------------

def _translated_sample(lang: str) -> tuple[str, str]:
    for message in read_catalog(po_path(lang), lang):
        if message.id and not message.pluralizable and message.string and not message.fuzzy:
            return message.id, message.string
    pytest.fail(f"{lang} has no translations")


@pytest.mark.parametrize("lang", ["ne", "my", "km", "ar"])
def test_set_language_switches_underscore_at_once(lang):
    source, translation = _translated_sample(lang)
    set_language(lang)
    assert i18n.current_language() == lang and _(source) == translation
    set_language("en")
    assert _(source) == source


def test_ngettext_picks_each_arabic_plural_form_for_the_session_language(monkeypatch):
    """Arabic has six plural forms; with the Arabic catalog's own Plural-Forms header, ngettext
    picks CLDR's form for each n (zero 0, one 1, two 2, few 3-10, many 11-99, other 100)."""
    arabic = read_catalog(po_path("ar"), "ar")
    forms = ("zero {n}", "one {n}", "two {n}", "few {n}", "many {n}", "other {n}")
    arabic.add(("{n} item", "{n} items"), forms)
    buffer = io.BytesIO()
    write_mo(buffer, arabic)
    buffer.seek(0)
    catalogs = {"ar": gettext.GNUTranslations(buffer), "en": gettext.NullTranslations()}
    monkeypatch.setattr(i18n, "catalog", catalogs.__getitem__)  # the built catalog stands in for the .mo file

    set_language("ar")
    assert [ngettext("{n} item", "{n} items", n) for n in (0, 1, 2, 3, 11, 100)] == list(forms)
    set_language("en")
    assert [ngettext("{n} item", "{n} items", n) for n in (0, 1, 2)] == ["{n} items", "{n} item", "{n} items"]


def _flet_session():
    """A real Flet session, as the web server makes one per browser tab (no browser attached)."""
    from flet.messaging.connection import Connection
    from flet.messaging.session import Session
    from flet.pubsub.pubsub_hub import PubSubHub

    connection = Connection()
    connection.pubsubhub = PubSubHub()
    return Session(connection)


def _in_session(session, call):
    """Run `call` as code of `session` runs: Flet makes its page the current one."""
    def run():
        session.attach_connection(session.connection)
        return call()
    return contextvars.Context().run(run)


def _strings_kept_by(module) -> set[str]:
    """Every string in the containers a module keeps (dicts, lists, sets, tuples, at any depth)."""
    found, seen = set(), set()
    stack = [value for name, value in vars(module).items() if not name.startswith("__")]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, (dict, list, set, tuple, frozenset)) and id(value) not in seen:
            seen.add(id(value))
            stack.extend(value.items() if isinstance(value, dict) else value)
    return found


def test_each_tab_has_its_own_language_and_a_closed_tab_leaves_nothing_behind():
    tab_a, tab_b = _flet_session(), _flet_session()
    _in_session(tab_a, lambda: set_language("ne"))
    _in_session(tab_b, lambda: set_language("ar"))
    assert _in_session(tab_a, i18n.current_language) == "ne"
    assert _in_session(tab_b, i18n.current_language) == "ar"
    assert i18n.current_language() == "en"  # outside any session: the process default

    # Flet drops a tab's session when it expires: app.i18n must not keep it or its language.
    closed_id, closed = tab_a.id, weakref.ref(tab_a)
    del tab_a
    gc.collect()
    assert closed() is None
    assert closed_id not in _strings_kept_by(i18n)
    assert _in_session(tab_b, i18n.current_language) == "ar"


def test_supported_normalises_codes():
    assert i18n.supported("ne_NP") == "ne" and i18n.supported("ar-EG") == "ar"
    assert i18n.supported("xx") == "en" and i18n.supported(None) == "en"


def _page():
    updates = []
    page = SimpleNamespace(fonts=None, theme=None, dark_theme=None, rtl=False, locale_configuration=None,
                           update=lambda: updates.append(1))
    return page, updates


@pytest.mark.parametrize("lang", REQUIRED)
def test_apply_locale_sets_fonts_direction_locale_and_language(lang):
    import flet as ft

    page, updates = _page()
    page.theme = ft.Theme(color_scheme_seed="#C8102E")
    apply_locale(page, lang)
    assert page.fonts == FONT_FILES
    assert page.rtl is (lang in ("ar", "ur"))
    assert page.theme.color_scheme_seed == "#C8102E"  # the caller's theme is kept
    assert page.theme.font_family == font_family_for(lang)
    for name in TEXT_STYLE_NAMES:
        style = getattr(page.theme.text_theme, name)
        assert style.font_family == font_family_for(lang)
        assert set(style.font_family_fallback) == set(FONT_FILES) - {font_family_for(lang)}
    assert page.locale_configuration.current_locale.language_code == lang
    assert {loc.language_code for loc in page.locale_configuration.supported_locales} == set(LANGUAGES)
    assert i18n.current_language() == lang and updates == [1]


def test_apply_locale_again_switches_back_without_re_registering_fonts():
    page, _updates = _page()
    apply_locale(page, "ar")
    fonts = page.fonts
    apply_locale(page, "my", update=False)
    assert page.rtl is False and page.fonts is fonts and page.theme.font_family == "NotoSansMyanmar"
    apply_locale(page, "ur")
    assert page.rtl is True and page.theme.font_family == "NotoNastaliqUrdu"


# ---- fonts -----------------------------------------------------------------------------

def test_every_font_file_is_bundled():
    assert all(path.startswith("fonts/") and (ASSETS_DIR / path).stat().st_size > 10_000 for path in FONT_FILES.values())


def test_every_non_latin_language_has_its_own_script_font():
    for lang in REQUIRED:
        family = font_family_for(lang)
        assert family in FONT_FILES
        assert fallback_families(lang)[0] == (LATIN if family != LATIN else fallback_families(lang)[0])
    assert len({font_family_for(lang) for lang in ("ne", "bn", "si", "ta", "my", "km", "th", "ar", "ur")}) == 9



@pytest.mark.parametrize("lang", ["ur", "my", "en"])
def test_the_page_asks_for_its_own_script_first_then_latin_then_the_rest(lang):
    """Flet's client fetches fonts one by one in this order: Urdu was last, after 1 MB of others."""
    order = list(font_files_in_loading_order(lang))
    assert order[: 2 if lang != "en" else 1] == ([font_family_for(lang), LATIN] if lang != "en" else [LATIN])
    assert sorted(order) == sorted(FONT_FILES) and font_files_in_loading_order(lang) == {f: FONT_FILES[f] for f in order}


@cache
def _cmap(family: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(ASSETS_DIR / FONT_FILES[family]).getBestCmap())


def _visible(text: str) -> set[str]:
    text = re.sub(r"\{[^}]*\}", "", text)
    return {ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc")}


def _texts(lang: str) -> list[str]:
    texts = [name for _, name in language_choices()] if lang == "en" else []
    if lang != "en":
        for message in read_catalog(po_path(lang), lang):
            if message.id and message.string:
                texts += list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
    for path in sorted((CONTENT_SOURCE_DIR / "translations" / lang).glob("*.md")):
        texts.append(path.read_text(encoding="utf-8"))
    texts.append(native_digits("0123456789", lang))  # every digit a date or number may show
    return texts


@pytest.mark.parametrize("lang", REQUIRED)
def test_every_character_shown_in_a_language_has_a_glyph_in_the_bundled_fonts(lang):
    """Otherwise Flutter fetches a font from the internet, and offline shows an empty box."""
    primary = _cmap(font_family_for(lang))
    everything = primary.union(*(_cmap(f) for f in fallback_families(lang)))
    chars = set().union(*(_visible(t) for t in _texts(lang)))
    missing = sorted(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in chars if ord(c) not in everything)
    assert missing == []
    # The language's own letters come from its own font, not a fallback.
    if font_family_for(lang) != LATIN:
        letters = {c for c in chars if unicodedata.category(c).startswith(("L", "M")) and ord(c) > 0x2FF}
        assert sorted(c for c in letters if ord(c) not in primary) == []


# ---- locale data -------------------------------------------------------------------------

def test_language_names_are_in_their_own_script():
    names = dict(language_choices())
    assert [code for code, _ in language_choices()] == list(LANGUAGES)
    assert names["ne"] == "नेपाली" and names["my"] == "မြန်မာ" and names["ar"] == "العربية"
    assert names["km"] == "ខ្មែរ" and names["th"] == "ไทย" and names["en"] == "English"
    for code, name in names.items():
        assert name == name.strip() and name != code


def test_country_names_are_localised():
    assert country_name("MY", "en") == "Malaysia" and country_name("kr", "en") == "South Korea"
    assert country_name("MY", "ne") == "मलेसिया" and country_name("MY", "ar") == "ماليزيا"
    assert country_name("XK", "en") == "Kosovo" and country_name("ZZZ", "en") == "ZZZ"


# The digits are CLDR's default numbering system of the language's most likely region:
# Nepal, Bangladesh, Myanmar and Egypt write their own digits; India (Hindi, Tamil),
# Pakistan, Sri Lanka, Cambodia and Thailand usually write 0-9.
LONG_DATES = {
    "en": "November 23, 2026",
    "ne": "२०२६ नोभेम्बर २३",
    "bn": "২৩ নভেম্বর, ২০২৬",
    "my": "၂၀၂၆ နိုဝင်ဘာ ၂၃",
    "ar": "٢٣ نوفمبر ٢٠٢٦",
    "hi": "23 नवंबर 2026",
    "ur": "23 نومبر، 2026",
    "si": "2026 නොවැම්බර් 23",
    "ta": "23 நவம்பர், 2026",
    "km": "23 វិច្ឆិកា 2026",
    "th": "23 พฤศจิกายน ค.ศ. 2026",
    "vi": "23 tháng 11, 2026",
    "id": "23 November 2026",
    "ms": "23 November 2026",
    "fil": "Nobyembre 23, 2026",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_screens_write_long_dates_in_the_language_and_its_digits(lang):
    assert long_date(date(2026, 11, 23), lang) == LONG_DATES[lang]
    assert long_date(datetime(2026, 11, 23, 23, 59), lang) == LONG_DATES[lang]  # content versions carry a time


def test_native_digits_are_real_unicode_digits():
    for lang in ("ne", "bn", "my", "ar"):
        digits = native_digits("0123456789", lang)
        assert [unicodedata.digit(c) for c in digits] == list(range(10))
        assert digits != "0123456789"


@pytest.mark.parametrize("lang", REQUIRED)
def test_direction_comes_from_cldr(lang):
    assert is_rtl(lang) is (Locale.parse(lang).text_direction == "rtl") is (lang in ("ar", "ur"))


def test_phone_numbers_stay_left_to_right_and_dialable():
    # Inside a left-to-right isolate (U+2066 ... U+2069), grouped as the country writes it, digits 0-9.
    assert format_phone_for_display("+60312345678") == "\u2066+60 3-1234 5678\u2069"
    assert format_phone_for_display("999") == "\u2066999\u2069"
    assert format_phone_for_display("") == ""


# ---- status report -----------------------------------------------------------------------

def test_status_counts_content_translations_and_reviews(tmp_path):
    (tmp_path / "articles").mkdir()
    for name in ("a", "b", "c"):
        (tmp_path / "articles" / f"{name}.md").write_text("---\ntitle: x\n---\nbody\n")
    (tmp_path / "translations" / "ne").mkdir(parents=True)
    (tmp_path / "translations" / "ne" / "a.md").write_text("---\ntitle: क\nreviewed: true\n---\nx\n")
    (tmp_path / "translations" / "ne" / "b.md").write_text("---\ntitle: ख\nreviewed: false\n---\nx\n")
    (tmp_path / "translations" / "ne" / "gone.md").write_text("---\ntitle: ग\n---\nx\n")
    assert content_counts("ne", tmp_path) == (2, 1, 3)


def test_translations_status_command_reports_every_language():
    result = subprocess.run([sys.executable, "-m", "app", "translations-status", "--json"],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    rows = {row["lang"]: row for row in json.loads(result.stdout)}
    assert set(rows) == set(LANGUAGES)
    for row in rows.values():
        assert {"ui_percent", "ui_translated", "ui_total", "content_translated", "content_reviewed", "content_total"} <= set(row)
    assert rows["en"]["ui_percent"] == 100.0
    table = subprocess.run([sys.executable, "-m", "app", "translations-status"], cwd=REPO_ROOT, capture_output=True,
                           text=True, check=True).stdout
    assert len(table.strip().splitlines()) == len(LANGUAGES) + 2 and "नेपाली" in table
    assert [row.lang for row in translation_status()] == list(LANGUAGES)


# ---- search in every language --------------------------------------------------------------

KNOWN_ARTICLE = "passport-taken"


@pytest.fixture(scope="module")
def source_runtime(tmp_path_factory):
    """The content/ source tree (with every translation) signed, installed and opened."""
    from app.content.embedded import ensure_embedded_installed
    from app.content.source import read_source
    from app.runtime import Runtime
    from tests.factories import sign_bundle

    tmp = tmp_path_factory.mktemp("i18n-content")
    _, root = sign_bundle(tmp / "bundle", read_source(CONTENT_SOURCE_DIR))
    (tmp / "root.json").write_bytes(root)
    home = tmp / "home"
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=tmp / "bundle", trusted_root_file=tmp / "root.json")
    runtime = Runtime.open(home)
    yield runtime
    runtime.close()


def _title_word(lang: str) -> str:
    """The longest word of the known article's translated title."""
    import frontmatter

    title = frontmatter.load(CONTENT_SOURCE_DIR / "translations" / lang / f"{KNOWN_ARTICLE}.md")["title"]
    words = [w.strip("\"'“”‘’«»()[]{}.,:;!?。،؛؟—–-") for w in title.split()]
    return max(words, key=len)


@pytest.mark.parametrize("lang", [lang for lang in REQUIRED if lang != "en"])
def test_search_finds_the_known_article_by_a_word_in_each_language(source_runtime, lang):
    path = CONTENT_SOURCE_DIR / "translations" / lang / f"{KNOWN_ARTICLE}.md"
    if not path.exists():
        pytest.fail(f"no {lang} translation of {KNOWN_ARTICLE} in content/translations")
    word = _title_word(lang)
    with source_runtime.reading() as content:
        hits = content.search(word, lang, country=None, limit=50)
    assert KNOWN_ARTICLE in [hit.article_id for hit in hits], (lang, word)


def test_search_finds_the_known_article_in_english(source_runtime):
    with source_runtime.reading() as content:
        hits = content.search("passport", "en", country=None, limit=50)
    assert KNOWN_ARTICLE in [hit.article_id for hit in hits]
