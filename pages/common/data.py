"""Loaded data, cached at the boundary: shared read-only frames plus what this session imported."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.panorama.drift import with_drift
from analytics.panorama.loading import Crosswalks, load_crosswalks, load_headlines, load_panorama
from analytics.params.vocabulary import Vocabulary, build_vocabulary

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
PANORAMA_DIR = DATA_DIR / "panorama"
IMPORTED_KEY = "_imported_projects"  # this session's panorama with its imported editions (canonical schema)
IMPORTED_VIEW_KEY = "_imported_view"


@dataclass(frozen=True)
class PanoramaView:
    """Projects with drift, the official headline series, and what a URL may name."""

    raw_projects: pl.DataFrame  # PROJECT_EDITION_SCHEMA, without drift
    projects: pl.DataFrame  # with the drift columns, computed on full histories
    headlines: pl.DataFrame
    vocab: Vocabulary  # of the panorama only: the app adds the framework registry
    version: str = "shipped"  # key of the shared result cache: a session's own data gets its own, never shared


def build_view(raw_projects: pl.DataFrame, headlines: pl.DataFrame, version: str = "shipped") -> PanoramaView:
    projects = with_drift(raw_projects.lazy()).collect()
    return PanoramaView(raw_projects, projects, headlines, build_vocabulary(projects, {}, ()), version)


@st.cache_resource(show_spinner="Chargement des éditions du panorama…")
def shipped_panorama(panorama_dir: str = str(PANORAMA_DIR)) -> PanoramaView:
    """The shipped editions, loaded once per server: frames are immutable and shared by all users."""
    path = Path(panorama_dir)
    return build_view(load_panorama(path), load_headlines(path))


@st.cache_resource
def shipped_crosswalks(panorama_dir: str = str(PANORAMA_DIR)) -> Crosswalks:
    return load_crosswalks(Path(panorama_dir))


def panorama() -> PanoramaView:
    """What this session sees: the shipped editions, plus editions it imported (never written to disk)."""
    imported: pl.DataFrame | None = st.session_state.get(IMPORTED_KEY)
    if imported is None:
        return shipped_panorama()
    cached: tuple[int, PanoramaView] | None = st.session_state.get(IMPORTED_VIEW_KEY)
    if cached is None or cached[0] != id(imported):
        session_version = f"session:{uuid.uuid4()}"
        cached = (id(imported), build_view(imported, shipped_panorama().headlines, session_version))
        st.session_state[IMPORTED_VIEW_KEY] = cached
    return cached[1]


def set_session_projects(raw_projects: pl.DataFrame | None) -> None:
    """Replace this session's panorama (after a successful import), or go back to the shipped one."""
    st.session_state.pop(IMPORTED_VIEW_KEY, None)
    if raw_projects is None:
        st.session_state.pop(IMPORTED_KEY, None)
    else:
        st.session_state[IMPORTED_KEY] = raw_projects
