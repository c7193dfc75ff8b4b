"""Helpers for AppTest: open the app on a page with URL parameters, read what it shows."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs

from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest

from analytics.params.pages import PAGES as DECLARED_PAGES
from analytics.params.pages import PageId
from pages.common.state import widget_key

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = {
    "overview": "pages/views/overview.py",
    "projects": "pages/views/projects.py",
    "drift": "pages/views/drift.py",
    "changes": "pages/views/changes.py",
    "contracts": "pages/views/contracts.py",
    "simulations": "pages/views/simulations.py",
    "data": "pages/views/data_method.py",
    "ministry": "pages/views/ministry.py",
}


def open_app(page: str = "overview", params: Mapping[str, str | list[str]] | None = None) -> AppTest:
    """Run the app as a visitor following a link: URL parameters set before the first run."""
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        # AppTest only knows the pages once app.py has declared them: follow the link from the default page,
        # with the link's parameters back in the URL (the first run rewrote it without the page's own).
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(PAGES[page]).run()
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    """Everything the page says in markdown, captions and alerts, for assertions on wording."""
    parts = [*at.markdown, *at.caption, *at.warning, *at.info, *at.error, *at.success, *at.title, *at.subheader]
    return "\n".join(str(p.value) for p in parts)


def query(at: AppTest) -> dict[str, object]:
    """The URL parameters after the run (a list for repeated keys)."""
    return dict(at.query_params)


def key(field: str, page: PageId | None = None) -> str:
    """Session key of the widget bound to a shared filter (or, with `page`, to a page parameter)."""
    return widget_key(page, field)


def follow_link(at: AppTest, label: str) -> AppTest:
    """Follow the `st.page_link` labelled `label` as a click does: its page, with exactly its URL parameters."""
    link = next(link for link in at.get("page_link") if link.proto.label == label)
    target = next(info for info in DECLARED_PAGES if info.url_path == link.proto.page)
    at.query_params.clear()
    for name, values in parse_qs(link.proto.query_string).items():
        at.query_params[name] = values if len(values) > 1 else values[0]
    return at.switch_page(target.script).run()


def open_panel(at: AppTest, key: str) -> AppTest:
    """Open the folded panel `key` as a click does: its content is drawn only once it is open (a rerun)."""
    at.session_state[key] = True
    return at.run()


def export_menus(at: AppTest) -> list[str]:
    """The keys of the page's « Exporter » menus (popovers, closed until clicked)."""
    blocks, keys = list(at.main.children.values()), []
    while blocks:
        block = blocks.pop(0)
        proto = getattr(block, "proto", None)
        if (
            isinstance(proto, BlockProto)
            and proto.WhichOneof("type") == "popover"
            and proto.popover.label == "Exporter"
        ):
            keys.append(proto.popover.id.split("-", 2)[2])  # « $$ID-<hash>-<key> »: the key given
        blocks.extend(getattr(block, "children", {}).values())
    return keys


def link_labels(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


def dataframe_with(at: AppTest, *columns: str):
    """The first table (pandas) showing all of `columns`."""
    return next(df.value for df in at.dataframe if set(columns) <= set(df.value.columns))
