"""A one-screen Flet app laid out like the app's screens (app bar, padded column that scrolls
vertically) with a 1200 px wide control in a row that scrolls sideways, to prove that
`assert_no_sideways_scroll` fails on it. Run by tests/e2e/test_layout_check.py only.

    python tests/e2e/wide_app.py PORT [--wide]
"""

from __future__ import annotations

import sys

import flet as ft

WIDE = "--wide" in sys.argv


def main(page: ft.Page) -> None:
    middle = ft.Row([ft.Text("Start"), ft.Container(width=1200, height=40, bgcolor=ft.Colors.RED)],
                    scroll=ft.ScrollMode.AUTO) if WIDE else ft.Text("Nothing wide here")
    page.views.clear()
    page.views.append(ft.View(
        route="/",
        appbar=ft.AppBar(title=ft.Text("Layout check")),
        controls=[ft.Text("Above"), middle, ft.Semantics(identifier="below", content=ft.Text("Below"))],
        scroll=ft.ScrollMode.AUTO,
        padding=ft.Padding.symmetric(horizontal=16, vertical=12),
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    ))
    page.update()


if __name__ == "__main__":
    ft.run(main, host="127.0.0.1", port=int(sys.argv[1]), view=ft.AppView.WEB_BROWSER, no_cdn=True)
