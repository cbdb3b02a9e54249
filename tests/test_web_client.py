"""What the browser is sent around Flet's web client (app/web_client.py), without a browser."""

from app.runtime import Runtime
from app.web_client import saved_language_reader


def test_the_page_speaks_the_language_just_chosen_while_the_app_runs(tmp_path):
    runtime = Runtime.open(tmp_path)
    try:
        runtime.user.set_setting("language", "ne")
        runtime.user.set_setting("language", "ur")  # the app keeps its database open, in WAL mode
        assert saved_language_reader(tmp_path)() == "ur"
    finally:
        runtime.close()
