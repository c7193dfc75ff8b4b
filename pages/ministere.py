"""Legacy-mode entry for /ministere: runs app.py (see pages/__init__.py)."""

from pages import run_app

run_app()
