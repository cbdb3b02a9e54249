"""What an article's facts come from, as codes the screen turns into plain words.

An article's `source` is written for the staff who check it ("IFRC Asia Pacific, Labour
migration and trafficking guidance note (2018), lines 751-760"). A migrant needs to know
whose words these are, not the line numbers: the screen says "From the IFRC's 2018 guidance
note on labour migration" in the reader's language. The source text itself stays in the
content for staff.
"""

from __future__ import annotations

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
