"""The words a person reads about help requests: field problems and statuses (UI side only).

The domain says what is wrong as a code (app.help_requests.forms.Problem) and what a
request's status is as a code; this is the one table that turns each into a sentence.
"""

from __future__ import annotations

from app.help_requests.forms import Problem
from app.i18n import _


def problem_words(problem: Problem) -> str:
    words = {
        Problem.missing: _("Please fill this in."),
        Problem.too_long: _("This is too long. Please make it shorter."),
        Problem.not_text: _("Please write this as text."),
        Problem.bad_phone: _("Please write the whole number, starting with + and the country code."),
        Problem.unknown_country: _("Please choose a country from the list."),
        Problem.bad_date: _("Please give the date as year-month-day, for example 2025-03-31."),
        Problem.future_date: _("This date is in the future. Please check it."),
        Problem.not_a_choice: _("Please choose one of the options."),
        Problem.consent_needed: _("We can only send your request if you agree."),
        Problem.unknown_field: _("This field is not part of the form."),
    }
    return words[problem]


def status_words(status: str, problem: str | None = None) -> str:
    """What a request's status means, in plain words."""
    if problem:
        return _("This request could not be sent. Please fill it in again.")
    words = {
        "waiting": _("Waiting to send"),
        "sending": _("Sending"),
        "delivered": _("Delivered"),
        "in_progress": _("Being handled"),
        "closed": _("Closed"),
        "withdrawn": _("Withdrawn"),
    }
    return words.get(status, status)


def no_key_words() -> str:
    return _("This app cannot send requests yet. Please update its information, then try again.")
