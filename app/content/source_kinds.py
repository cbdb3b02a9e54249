"""What an article's facts come from, as codes the screen turns into plain words.

An article's `source` is written for the staff who check it ("IFRC Asia Pacific, Labour
migration and trafficking guidance note (2018), lines 751-760"). A migrant needs to know
whose words these are, not the line numbers: the screen says "From the IFRC's 2018 guidance
note on labour migration" in the reader's language. The source text itself stays in the
content for staff.
"""

from __future__ import annotations

import re

# (code, words in a source that name that document); the first match wins per part.
SOURCE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ifrc_migration_note_2018", ("Labour migration and trafficking guidance note", "IFRC Asia Pacific guidance note")),
    ("ifrc_first_aid_guidelines_2020", ("International First Aid, Resuscitation, and Education Guidelines",)),
    ("ifrc_psychosocial", ("Reference Centre for Psychosocial Support",)),
    ("arc_pledge", ("Australian Red Cross pledge",)),
    ("contact_sources", ("content/contacts/", "content/countries.yaml")),
    ("emergency_services", ("police.govt.nz", "acma.gov.au")),
    ("app_team", ("Safe Journey design notes",)),
)
OTHER = "other"


def source_kinds(source: str) -> list[str]:
    """The documents `source` names, in order, each once; a part we do not know is `other`."""
    found: list[str] = []
    for part in source.split(";"):
        code = next((code for code, marks in SOURCE_KINDS if any(m in part for m in marks)), OTHER)
        if part.strip() and code not in found:
            found.append(code)
    return found


# ---- contacts -----------------------------------------------------------------------------
# How strong a contact's source is, as a code the contact card turns into plain words
# ("From a government website, checked on …"). A contact's `source` names the page its
# number was read on first; only that first page decides, because the weaker pages after
# it only confirm or date it.


class ContactSourceKind:
    national_society = "national_society"  # the Red Cross / Red Crescent's own site or press release
    ifrc_icrc = "ifrc_icrc"  # the IFRC or the ICRC
    government = "government"  # a government website or the government's news portal
    news = "news"  # news reports (a hotline confirmed by two independent reports)
    number_data = "number_data"  # the phone numbering data phones use (libphonenumber), nothing else
    other = "other"  # any other public page (an encyclopedia, a newspaper profile)


# Host names of the National Societies' own websites (a source page on one of them is theirs).
NATIONAL_SOCIETY_HOSTS = (
    "redcross.org.au", "redcross.org.ph", "bdrcs.org", "redcross.org.kh", "indianredcross.org",
    "krcs.org.kw", "redcross.lk", "redcross.org.nz", "redcross.sg", "redcross.or.th", "redcross.org.vn",
    "redcross.org.vu", "qrcs.qa", "prcs.org.pk", "redcross.mn", "pmi.or.id", "nrcs.org",
    "redcrescent.org.my", "redcross.or.kr", "redcross.org.hk", "redcross.org.tw", "jrc.or.jp",
    "redcrescent.org.mv", "laoredcross.org.la",
)
IFRC_ICRC_HOSTS = ("icrc.org", "ifrc.org")
# Government hosts: a ".gov"/".govt"/".go" label before the country code, and two portals.
_GOVERNMENT_HOST = re.compile(r"(?:^|\.)(?:gov|govt|go)(?:\.[a-z]{2})?$")
GOVERNMENT_HOSTS = ("news.lk", "korea.net")
NEWS_HOSTS = (
    "inquirer.net", "gulf-times.com", "zawya.com", "urdupoint.com", "philstar.com", "dohanews.co",
    "thestar.com.my", "businessmirror.com.ph", "malaymail.com", "freemalaysiatoday.com", "prothomalo.com",
    "somodhara.com", "khabarhub.com", "prawaskhabar.com",
    "thehrmedium.com", "pilipinosakuwait.com",
    "tribunnews.com", "haluan.co", "borneobulletin.com.bn",
)
# What a source's first part says in words, which outranks its address (a Society's own
# press release reposted on ReliefWeb is still the Society's).
SOURCE_PHRASES = (
    ("QRCS press release", ContactSourceKind.national_society),  # a Society's release reposted on ReliefWeb
    ("the Society's own publication", ContactSourceKind.national_society),  # its guide on a document site
    ("libphonenumber", ContactSourceKind.number_data),
    ("IFRC Asia Pacific", ContactSourceKind.ifrc_icrc),
    ("Name of the IFRC member National Society", ContactSourceKind.ifrc_icrc),
)
_FIRST_URL = re.compile(r"https?://([^/\s)]+)")


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def contact_source_kind(source: str) -> str:
    """The kind of the first page `source` names (a ContactSourceKind value)."""
    first = source.split(";")[0]
    url = _FIRST_URL.search(first)
    phrase = next((kind for mark, kind in SOURCE_PHRASES if mark in first), None)
    if phrase:
        return phrase
    if url is None:
        return ContactSourceKind.other
    host = url.group(1).lower().split(":")[0]
    if _on(host, NATIONAL_SOCIETY_HOSTS):
        return ContactSourceKind.national_society
    if _on(host, IFRC_ICRC_HOSTS):
        return ContactSourceKind.ifrc_icrc
    if _GOVERNMENT_HOST.search(host) or _on(host, GOVERNMENT_HOSTS):
        return ContactSourceKind.government
    if _on(host, NEWS_HOSTS):
        return ContactSourceKind.news
    return ContactSourceKind.other
