"""Which numbers the person's phone can dial from where it is.

A short number (a code such as 1348, with no international form) rings only on a phone in
the country whose contact file holds it; a full international number (+63…) rings from
anywhere. A Call button is offered only for a number that can ring from where the person
is; the others are shown as text with the country they work from.
"""

from __future__ import annotations

from dataclasses import dataclass

# The roles whose phone is in the country of origin: the person is planning to go, or is the
# family at home; `country` is then where they are going or where their relative is.
AT_HOME_ROLES = ("planning", "family")


@dataclass(frozen=True)
class Dialling:
    phone_in: str | None  # the country the person's phone is in; None: not known
    chosen: str | None = None  # their chosen country: its emergency numbers are always offered

    @classmethod
    def of(cls, *, role: str | None, country: str | None, origin: str | None) -> Dialling:
        """Where the phone is, from the first-launch choices: at home for those planning to go
        and for the family at home (when their origin is known), else the chosen country."""
        phone_in = origin if role in AT_HOME_ROLES and origin else country
        return cls(phone_in=phone_in, chosen=country)

    def short_number_works(self, country: str, kind: str) -> bool:
        """A short number of `country` rings from here (always while where the phone is is not
        known, and always for the emergency numbers of the chosen country, shown as they are)."""
        if self.phone_in is None or country == self.phone_in:
            return True
        return kind == "emergency" and country == self.chosen


ANYWHERE = Dialling(phone_in=None)


def number_to_dial(*, country: str, kind: str, short_number: str | None, phone: str | None,
                   dialling: Dialling) -> tuple[str | None, bool]:
    """The number a card shows, and whether it can be dialled from where the person is.

    The short number where it works; else the full international number if there is one
    (it works from anywhere); else the short number, to be shown but not dialled."""
    if short_number and dialling.short_number_works(country, kind):
        return short_number, True
    if phone:
        return phone, True
    return short_number, short_number is None
