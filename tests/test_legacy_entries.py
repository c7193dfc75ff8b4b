"""Each non-default page of app.py has its legacy-mode entry in pages/ (see pages/__init__.py), and no other."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_legacy_entries_match_the_declared_url_paths():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    declared = set(re.findall(r'url_path="([a-z0-9-]+)"(?!\s*,\s*default=True)', app))
    default = set(re.findall(r'url_path="([a-z0-9-]+)",\s*default=True', app))
    assert default == {"vue-ensemble"}
    entries = {p.stem for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py"}
    assert entries == declared - default
    for name in entries:
        assert "run_app()" in (ROOT / "pages" / f"{name}.py").read_text(encoding="utf-8")
