"""First launch: language (each named in its own script), "I am…", and the two countries.
Everything can be changed later in Settings. No account, no sign-in."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.content.dto import CountryOption
from app.i18n import _
from app.views.choices import choice_list
from app.views.common import GAP, TS, app_bar, heading, muted, tagged, text
from app.views.pickers import country_picker
from app.views.settings import role_options
from app.views.storage_banner import storage_banner

STEPS = 3


# What the first-launch screen needs (it is shown before the router, so it has no loader).
@dataclass(frozen=True)
class WelcomeData:
    languages: list[tuple[str, str]]
    countries: list[CountryOption]


def step_label(step: int) -> str:
    # Translators: progress through the first-launch questions, e.g. "Step 2 of 3".
    return _("Step {step} of {steps}").format(step=step + 1, steps=STEPS)


def language_step(data: WelcomeData, state, actions, next_step) -> list[ft.Control]:
    def pick(lang: str) -> None:
        actions.choose_language(lang)
        next_step()

    return [
        heading(_("Welcome to Safe Journey"), identifier="welcome-title"),
        text(_("Information for a safe journey, at home and abroad. It works without internet. "
               "No account, no sign-in."), TS.BODY_MEDIUM),
        heading(_("Choose your language"), style=TS.TITLE_LARGE, identifier="welcome-language"),
        choice_list("lang", data.languages, state.lang, pick),
    ]


def role_step(state, actions, next_step) -> list[ft.Control]:
    def pick(role: str) -> None:
        actions.choose_role(role)
        next_step()

    return [
        heading(_("I am…"), identifier="welcome-role"),
        muted(_("This helps us show what matters to you first."), style=TS.BODY_MEDIUM),
        choice_list("role", role_options(), state.role, pick),
    ]


def countries_step(data: WelcomeData, state, actions) -> list[ft.Control]:
    return [
        heading(_("Your countries"), identifier="welcome-countries"),
        muted(_("We use them to show the right emergency numbers and Red Cross contacts."), style=TS.BODY_MEDIUM),
        country_picker(data.countries, state.origin, actions.choose_origin, identifier="welcome-origin",
                       label=_("My country of origin")),
        country_picker(data.countries, state.country, actions.choose_country, identifier="welcome-country",
                       label=_("Where I am, or where I am going")),
        tagged("welcome-start", ft.FilledButton(_("Start"), icon=ft.Icons.ARROW_FORWARD,
                                                on_click=actions.finish_onboarding)),
    ]


@ft.component
def WelcomeScreen(env, state, data: WelcomeData) -> ft.View:
    step, set_step = ft.use_state(0)
    actions = env.actions
    if step == 0:
        rows = language_step(data, state, actions, lambda: set_step(1))
    elif step == 1:
        rows = role_step(state, actions, lambda: set_step(2))
    else:
        rows = countries_step(data, state, actions)
    nav: list[ft.Control] = [muted(step_label(step), style=TS.LABEL_LARGE)]
    if step > 0:
        nav.insert(0, tagged("welcome-back", ft.TextButton(_("Back"), icon=ft.Icons.ARROW_BACK,
                                                           on_click=lambda: set_step(step - 1))))
    if step < STEPS - 1:
        nav.append(tagged("welcome-next", ft.TextButton(_("Next"), icon=ft.Icons.ARROW_FORWARD,
                                                        on_click=lambda: set_step(step + 1))))
    footer = ft.Row(nav, alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True)
    banner = [b for b in [storage_banner(state.storage_notices)] if b]
    return ft.View(
        route="/",
        can_pop=False,
        appbar=app_bar(env, state, searchable=False),
        controls=[*banner, *rows, footer],
        scroll=ft.ScrollMode.AUTO,
        padding=ft.Padding.symmetric(horizontal=16, vertical=GAP),
        spacing=GAP,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
