"""No user or data text can reach the page as HTML: a static check of the code, and a check of a rendered page."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from tests.app_helpers import key, open_app

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "analytics").rglob("*.py")])
HOSTILE_QUERY = "<img src=x onerror=alert(1)>"


def _module_constants(tree: ast.Module) -> set[str]:
    """Names bound once at module level to a plain string literal."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_unsafe_allow_html(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    unsafe = [
        f"{path.name}:{call.lineno}"
        for call in _calls(tree)
        for keyword in call.keywords
        if keyword.arg == "unsafe_allow_html"
        and not (isinstance(keyword.value, ast.Constant) and not keyword.value.value)
    ]
    assert unsafe == []


@cache
def _constants_of_module(module: str) -> frozenset[str]:
    """String constants a project module defines or re-exports."""
    base = ROOT / Path(*module.split("."))
    source = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return frozenset(_module_constants(tree) | _imported_constants(tree))


def _imported_constants(tree: ast.Module) -> set[str]:
    """Names imported from a project module where they are bound to a plain string literal."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in {"analytics", "pages"}:
            defined = _constants_of_module(node.module)
            names |= {alias.asname or alias.name for alias in node.names if alias.name in defined}
    return names


# Builders that take no argument and return constant markup (the French interface script: its text comes from
# module dictionaries only, tests/test_french_ui.py).
CONSTANT_HTML_BUILDERS = {"french_ui_html"}


def _constant_builder_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in CONSTANT_HTML_BUILDERS
        and not node.args
        and not node.keywords
    )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_st_html_only_with_module_constants(path: Path) -> None:
    """`st.html` receives only string literals of the code, defined here or imported from a project module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = _module_constants(tree) | _imported_constants(tree)
    offending = [
        f"{path.name}:{call.lineno}"
        for call in _calls(tree)
        if _called_name(call) == "html"
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "st"
        and not (
            len(call.args) == 1
            and (
                (isinstance(call.args[0], ast.Name) and call.args[0].id in constants)
                or (isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str))
                or _constant_builder_call(call.args[0])
            )
        )
    ]
    assert offending == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_iframes_only_run_constant_scripts(path: Path) -> None:
    """A script in the page is the project's own constant, never built from data (same rule as `st.html`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = _module_constants(tree) | _imported_constants(tree)
    offending = [
        f"{path.name}:{call.lineno}"
        for call in _calls(tree)
        if _called_name(call) in {"html", "iframe"}
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in {"components", "st"}
        and not (call.args and isinstance(call.args[0], ast.Name) and call.args[0].id in constants)
        and not (call.func.value.id == "st" and call.func.attr == "html")
    ]
    assert offending == []


@pytest.mark.parametrize("page", ["overview", "projects", "drift"])
def test_hostile_search_query_is_shown_as_text(page: str) -> None:
    at = open_app(page, {"q": HOSTILE_QUERY})
    assert not at.exception
    assert at.text_input(key=key("query")).value == HOSTILE_QUERY
    # Markdown bodies (markdown, captions, alerts) may carry the query only escaped: never a raw tag.
    bodies = [*at.markdown, *at.caption, *at.warning, *at.info, *at.error, *at.success]
    raw = [str(element.value) for element in bodies if "<img" in str(element.value)]
    assert raw == [], raw
