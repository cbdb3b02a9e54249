"""Emergency notices as the screens get them: in force on home only while their dates say so,
every one (current and past) on the notices screen, in the person's language or the source."""

from contextlib import contextmanager
from datetime import date

import pytest
from sqlmodel import Session

from app.content.reader import ContentReader
from app.state import AppState
from app.storage.engines import open_content_engine
from app.storage.paths import content_db
from app.ui import Loaders

# The factory bundle's notice "example" is for Malaysia, in force 2026-11-01 to 2027-01-01, English only.


class _Installed:
    """The installed content of a data folder, read the way route loaders read it."""

    def __init__(self, home):
        self.engine = open_content_engine(content_db(home))

    @contextmanager
    def reading(self):
        with Session(self.engine) as session:
            yield ContentReader(session)


@pytest.fixture
def loaders(installed_home):
    installed = _Installed(installed_home)
    state = AppState()
    state.set_country("MY")
    yield Loaders(runtime=installed, state=state)
    installed.engine.dispose()


@pytest.mark.parametrize(
    ("today", "on_home", "current", "past"),
    [
        (date(2026, 10, 31), [], ["example"], []),  # not yet in force: listed, not on home
        (date(2026, 11, 1), ["example"], ["example"], []),
        (date(2027, 1, 1), ["example"], ["example"], []),  # its last day
        (date(2027, 1, 2), [], [], ["example"]),  # the day after: gone from home, listed as past
    ],
)
def test_a_notice_is_on_home_only_while_in_force(loaders, today, on_home, current, past):
    loaders.state.set_today(today)
    assert [n.id for n in loaders.home({}).notices] == on_home
    notices = loaders.notices({})
    assert ([n.id for n in notices.current], [n.id for n in notices.past]) == (current, past)


def test_a_notice_for_other_countries_is_not_shown(loaders):
    loaders.state.set_country("TH")
    loaders.state.set_today(date(2026, 12, 1))
    assert loaders.home({}).notices == []
    assert loaders.notices({}).current == [] and loaders.notices({}).past == []


def test_a_notice_without_the_persons_language_says_which_language_it_is_in(loaders):
    loaders.state.set_today(date(2026, 12, 1))
    loaders.state.lang = "ne"  # no Nepali text: the English one, marked as English
    (notice,) = loaders.home({}).notices
    assert (notice.title, notice.lang) == ("EXAMPLE", "en")
