"""Each non-root page has its legacy-mode entry in pages/ (see pages/__init__.py), and no other."""

from pathlib import Path

from analytics.params.pages import PAGES

ROOT = Path(__file__).resolve().parents[1]


def test_legacy_entries_match_the_declared_url_paths():
    declared = {page.url_path for page in PAGES if page.url_path}
    assert [page.url_path for page in PAGES].count("") == 1, "one page, the overview, at the root"
    entries = {p.stem for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py"}
    assert entries == declared
    for name in entries:
        assert "run_app()" in (ROOT / "pages" / f"{name}.py").read_text(encoding="utf-8")
    for page in PAGES:
        assert (ROOT / page.script).is_file(), page.script
