"""Streamlit pages: scripts in `views/`, shared Streamlit code in `common/`.

Why the one-line scripts `projets.py`, `derives.py`, ... sit here: because this folder is called `pages/`,
Streamlit runs a server's first script run in its legacy multipage mode, which only knows the top-level
scripts of `pages/`. A first visitor arriving on `/derives` would get an English "Page not found" dialog.
Each of these scripts, named after a page's `url_path`, just runs `app.py`, whose `st.navigation` then
serves the page as usual (a test keeps their names in step with `app.py`).
"""

from __future__ import annotations

import runpy
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def run_app() -> None:
    runpy.run_path(str(APP), run_name="__main__")
