"""The layering the project relies on: analytics is pure, pages are thin, every page registers one render."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VIEWS = sorted((ROOT / "pages" / "views").glob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "analytics").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_analytics_never_imports_streamlit_or_pages(path: Path) -> None:
    forbidden = {m for m in _imported_modules(path) if m.split(".")[0] in {"streamlit", "pages"}}
    assert not forbidden, f"{path.relative_to(ROOT)} imports {sorted(forbidden)}"


def _is_constant_assignment(node: ast.stmt) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    return bool(targets) and all(isinstance(t, ast.Name) and t.id.isupper() for t in targets)


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: p.name)
def test_page_modules_only_declare_and_register_their_render(path: Path) -> None:
    """Imports, constants, functions, and a single `run_page(render)` at the end: no logic at import time."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    *declarations, last = body
    for node in declarations:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
        assert docstring or isinstance(node, allowed) or _is_constant_assignment(node), (
            f"{path.name}:{node.lineno}: top-level logic"
        )
    assert ast.unparse(last) == "run_page(render)", f"{path.name} ends by registering its render function"
    assert any(isinstance(n, ast.FunctionDef) and n.name == "render" for n in body)


PYTHON_CALLBACKS = {"map_batches", "map_elements", "map_groups", "map_rows"}
SERVED_CODE = [*sorted((ROOT / "analytics").rglob("*.py")), *sorted((ROOT / "pages").rglob("*.py")), ROOT / "app.py"]


@pytest.mark.parametrize("path", SERVED_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_python_callback_inside_a_polars_query(path: Path) -> None:
    """A Python function run by polars' thread pool waits for the GIL: with concurrent sessions, a thread holding
    the GIL while it waits for that pool deadlocked the whole server (load test, 20 sessions, 0 pages served)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    called = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)} & PYTHON_CALLBACKS
    assert not called, f"{path.relative_to(ROOT)} calls {sorted(called)}"


SESSION_DISPLAYS = ["import_panel.py", "contracts_data.py", "orders_data.py"]  # what one session uploaded
SHARED_DRAWERS = {"shared", "memo", "show_spec_table", "show_table", "show_accessible_chart"}


@pytest.mark.parametrize("name", SESSION_DISPLAYS)
def test_what_a_session_uploads_is_never_drawn_through_the_shared_view_cache(name: str) -> None:
    """The view cache keys results by data version and view: an import report or an upload's own figures, which
    neither names, would be served to the next visitor of the same view."""
    tree = ast.parse((ROOT / "pages" / "common" / name).read_text(encoding="utf-8"))
    called = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert not called & SHARED_DRAWERS, f"{name} calls {sorted(called & SHARED_DRAWERS)}"


def _shorthand_encodings(path: Path) -> list[str]:
    """`.encode(...)` keywords given as a string or a bare `alt.value`/`alt.condition` dict, with their line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "encode":
            for keyword in node.keywords:
                value = keyword.value
                bare = (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr in {"value", "condition"}
                )
                if (isinstance(value, ast.Constant) and isinstance(value.value, str)) or bare:
                    found.append(f"{keyword.arg} (ligne {keyword.lineno})")
    return found


@pytest.mark.parametrize("path", sorted(ROOT.glob("analytics/**/charts.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_chart_encodings_are_channel_objects(path: Path) -> None:
    """Altair resolves a shorthand string or a bare value dict through its whole schema, 2 to 6 ms each."""
    assert _shorthand_encodings(path) == []
