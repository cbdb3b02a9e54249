"""Launcher for `flet run` and `flet build` (they package the repository root)."""

import flet as ft

from app.logging_setup import setup_logging
from app.starting import StartingRuntime
from app.storage.paths import ASSETS_DIR, data_home
from app.ui import build_main

if __name__ == "__main__":
    setup_logging()
    home = data_home()
    ft.run(build_main(StartingRuntime(home), home), assets_dir=str(ASSETS_DIR))
