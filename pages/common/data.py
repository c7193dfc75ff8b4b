"""Loaded data, cached at the boundary: the shipped editions with the kept ones (shared by every session), plus the
editions this session imported for itself.

`PanoramaView.version` names the data a view holds, for caches shared across sessions (two views with the same
version hold the same frames):
* `store:<revision>`: the shipped editions with the editions kept in the store at `EditionStore.revision()`, which
  changes whenever an edition is kept or removed or a name accepted; every session on that revision shares the view;
* `shipped`: the shipped editions alone, when the store cannot be read (the page says so);
* `session:<uuid>`: this session's own imports over the shared data; a new uuid each time that composition is
  built (an import, or new shared data under it), so never shared by two sessions.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from functools import reduce
from pathlib import Path
from typing import NoReturn

import polars as pl
import streamlit as st

from analytics.formatting import escape_markdown
from analytics.panorama.drift import with_drift
from analytics.panorama.edition_import import load_crosswalks_with_store, load_projects
from analytics.panorama.importing import merge_edition
from analytics.panorama.loading import Crosswalks, PanoramaDataError, load_headlines, load_panorama
from analytics.panorama.store import EditionStore, StoreError
from analytics.params.vocabulary import Vocabulary, build_vocabulary

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
PANORAMA_DIR = DATA_DIR / "panorama"
SESSION_IMPORTS_KEY = "_session_imports"  # SessionImports of this session
SESSION_VIEW_KEY = "_session_view"  # (shared version, imports token, composed view)
SHIPPED_VERSION = "shipped"
SESSION_VERSION_PREFIX = "session:"
# Store revisions held in memory at once: the current one, and the previous ones while sessions still run on them.
SHARED_REVISIONS = 4
LOG = logging.getLogger("panorama.pages")
STORE_PROBLEM_FR = (
    "Les éditions conservées n'ont pas pu être lues : seules les éditions livrées sont affichées. La page "
    "« Données et méthode » liste les éditions conservées et permet de retirer celle qui est en cause. Détail : "
)
LOAD_FAILED_FR = (
    "Les données du panorama n'ont pas pu être chargées : l'application ne peut rien afficher sans elles. "
    "Signalez-le à l'équipe qui l'exploite (le détail est consigné dans le journal du serveur)."
)


@dataclass(frozen=True)
class PanoramaView:
    """Projects with drift, the official headline series, what a URL may name, and which data these are."""

    raw_projects: pl.DataFrame  # PROJECT_EDITION_SCHEMA, without drift
    projects: pl.DataFrame  # with the drift columns, computed on full histories
    headlines: pl.DataFrame
    vocab: Vocabulary  # of the panorama only: the app adds the framework registry
    version: str  # see the module docstring: `store:<revision>`, `shipped` or `session:<uuid>`


@dataclass(frozen=True)
class SharedData:
    """The view every session starts from, and why the kept editions are missing from it, if they are."""

    view: PanoramaView
    store_problem: str | None = None  # French


@dataclass(frozen=True)
class SessionImports:
    """Editions this session imported for itself (PROJECT_EDITION_SCHEMA, one edition each, in import order)."""

    editions: tuple[pl.DataFrame, ...]
    token: str  # new whenever `editions` changes


def build_view(raw_projects: pl.DataFrame, headlines: pl.DataFrame, version: str) -> PanoramaView:
    projects = with_drift(raw_projects.lazy()).collect()
    return PanoramaView(raw_projects, projects, headlines, build_vocabulary(projects, {}, ()), version)


def edition_store() -> EditionStore:
    """The store `PANORAMA_STORE_DIR` names (read at each call: cheap, and tests point it elsewhere)."""
    return EditionStore.from_settings()


@st.cache_resource
def shipped_headlines(panorama_dir: str) -> pl.DataFrame:
    return load_headlines(Path(panorama_dir))


@st.cache_resource(show_spinner="Chargement des éditions du panorama…")
def shipped_panorama(panorama_dir: str) -> PanoramaView:
    """The shipped editions alone, loaded once per server: what is shown when the store cannot be read."""
    return build_view(load_panorama(Path(panorama_dir)), shipped_headlines(panorama_dir), SHIPPED_VERSION)


@st.cache_resource(max_entries=SHARED_REVISIONS, show_spinner="Chargement des éditions du panorama…")
def _shared_data(panorama_dir: str, store_dir: str, revision: str) -> SharedData:
    """Shipped and kept editions of one store revision, loaded once per server: frames are immutable and shared."""
    try:
        raw = load_projects(Path(panorama_dir), EditionStore(Path(store_dir)))
    except (StoreError, OSError) as error:
        LOG.exception("Edition store %s unreadable", store_dir)
        return SharedData(shipped_panorama(panorama_dir), str(error))
    return SharedData(build_view(raw, shipped_headlines(panorama_dir), f"store:{revision}"))


def shared_data() -> SharedData:
    """What every session sees now: a kept or removed edition changes the store's revision, hence the cache key."""
    store = edition_store()
    try:
        revision = store.revision()
    except OSError as error:
        LOG.exception("Edition store %s unreadable", store.root)
        return SharedData(shipped_panorama(str(PANORAMA_DIR)), f"« {store.root} » : {error.strerror}.")
    return _shared_data(str(PANORAMA_DIR), str(store.root), revision)


@st.cache_resource(max_entries=SHARED_REVISIONS)
def _shared_crosswalks(panorama_dir: str, store_dir: str, revision: str) -> Crosswalks:
    return load_crosswalks_with_store(Path(panorama_dir), EditionStore(Path(store_dir)))


def shared_crosswalks() -> Crosswalks:
    """The shipped crosswalks with the identities accepted into the store, for checking a new file."""
    store = edition_store()
    return _shared_crosswalks(str(PANORAMA_DIR), str(store.root), store.revision())


def panorama() -> PanoramaView:
    """What this session sees: the shared editions, with the editions it imported for itself over them."""
    shared = shared_data()
    if shared.store_problem is not None:
        st.error(STORE_PROBLEM_FR + escape_markdown(shared.store_problem), icon=":material/error:")
    imports: SessionImports | None = st.session_state.get(SESSION_IMPORTS_KEY)
    if imports is None:
        return shared.view
    cached: tuple[str, str, PanoramaView] | None = st.session_state.get(SESSION_VIEW_KEY)
    if cached is None or cached[:2] != (shared.view.version, imports.token):
        # Each edition replaces a loaded one of its month: the person answered the overlap question on import.
        raw = reduce(lambda done, e: merge_edition(done, e, replace=True), imports.editions, shared.view.raw_projects)
        view = build_view(raw, shared.view.headlines, f"{SESSION_VERSION_PREFIX}{uuid.uuid4()}")
        cached = (shared.view.version, imports.token, view)
        st.session_state[SESSION_VIEW_KEY] = cached
    return cached[2]


def add_session_edition(edition: pl.DataFrame) -> None:
    """Use one checked edition in this session only (never written to disk)."""
    imports: SessionImports | None = st.session_state.get(SESSION_IMPORTS_KEY)
    editions = (*(imports.editions if imports else ()), edition)
    st.session_state[SESSION_IMPORTS_KEY] = SessionImports(editions, uuid.uuid4().hex)


def clear_session_editions() -> None:
    """Back to the shared editions."""
    st.session_state.pop(SESSION_IMPORTS_KEY, None)
    st.session_state.pop(SESSION_VIEW_KEY, None)


def loading_failed(error: Exception) -> NoReturn:
    """The boundary around loading in app.py: a French message instead of Streamlit's English error page."""
    LOG.exception("Loading the panorama failed")
    st.error(LOAD_FAILED_FR, icon=":material/error:")
    if isinstance(error, PanoramaDataError):  # its message is French and names the file
        st.text(str(error))
    st.stop()
