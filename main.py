"""Launcher for `flet run` and `flet build` (they package the repository root)."""

import flet as ft

from app.runtime import Runtime
from app.storage.paths import ASSETS_DIR, data_home
from app.ui import build_main

if __name__ == "__main__":
    ft.run(build_main(Runtime.open(data_home())), assets_dir=str(ASSETS_DIR))
