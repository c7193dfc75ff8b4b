"""DECP contracts as the app sees them: this session's upload, else the configured national file, else the
simulated scenario; plus the framework registry and the banner that says when data are simulated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.decp import SIMULATED_NOTICE_FR
from analytics.decp.frameworks import Framework, FrameworkRegistryError, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.national import national_filter, probable_windows
from analytics.decp.normalise import NORMALISED_SCHEMA
from analytics.decp.readers import SCENARIO_PATH, DecpSettings, contracts_from_scan, read_decp, scan_decp_table
from analytics.decp.report import DecpReport
from analytics.formatting import escape_markdown, format_number
from analytics.params.vocabulary import Vocabulary
from analytics.simulations.framework_ceiling import can_simulate

SCENARIO_AS_OF = date(2026, 10, 31)  # the scenario's fixed as-of date (data/decp/SCENARIO.md)
SCENARIO_LABEL_FR = "Données simulées (scénario embarqué)"
CONFIGURED_LABEL_FR = "Fichier configuré PANORAMA_DECP_PATH"
UPLOADED_KEY = "_decp_uploaded"  # ContractSource of this session's last good upload
UPLOAD_OUTCOME_KEY = "_decp_upload_outcome"  # (level, message, report) of the last upload attempt
UPLOADER_NONCE_KEY = "_decp_uploader_nonce"  # bumped to empty the uploader when going back
LINKED_CACHE_KEY = "_decp_linked"
UPLOAD_TYPES = ["csv", "xlsx", "ods", "parquet", "json"]
MAX_LISTED = 30


@dataclass(frozen=True)
class ContractSource:
    """Contracts the app analyses (normalised, not yet linked to a framework) and where they come from."""

    contracts: pl.DataFrame  # NORMALISED_SCHEMA
    report: DecpReport
    label_fr: str
    simulated: bool
    as_of: date  # the scenario's fixed date for simulated data, today for real data


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@st.cache_resource
def _registry(path: str, mtime: int | None) -> list[Framework]:
    """Keyed on the modification time so that an edited registry is read again."""
    return load_frameworks(Path(path))


def frameworks() -> list[Framework]:
    """The registry of framework agreements; a defect is shown in French and yields an empty list."""
    path = DecpSettings().frameworks_path
    try:
        return _registry(str(path), _mtime(path))
    except FrameworkRegistryError as error:
        st.error(f"Registre des accords-cadres inutilisable : {escape_markdown(str(error))}", icon=":material/error:")
        return []


def url_vocabulary(panorama: Vocabulary) -> Vocabulary:
    """The panorama's vocabulary with the registry's framework agreements, which page links may name."""
    registry = frameworks()
    return panorama.model_copy(
        update={
            "frameworks": {f.id: f.title for f in registry},
            "simulable_frameworks": tuple(f.id for f in registry if can_simulate(f)),
        }
    )


def empty_contracts() -> pl.DataFrame:
    return pl.DataFrame(schema=NORMALISED_SCHEMA)


@st.cache_resource(show_spinner="Chargement du scénario simulé…")
def _scenario() -> ContractSource:
    contracts, report = read_decp(SCENARIO_PATH, SCENARIO_PATH.name, as_of=SCENARIO_AS_OF)
    return ContractSource(
        contracts if contracts is not None else empty_contracts(), report, SCENARIO_LABEL_FR, True, SCENARIO_AS_OF
    )


@st.cache_resource(show_spinner="Lecture filtrée du fichier DECP national…")
def _national(
    path: str,
    mtime: int,
    framework_ids: tuple[str, ...],
    windows: tuple[tuple[date, date], ...],
    as_of: date,
) -> tuple[pl.DataFrame | None, DecpReport]:
    """Scanned lazily and filtered before collection; cached per file version, registry and day."""
    scan = scan_decp_table(Path(path)).filter(national_filter(framework_ids, windows))
    return contracts_from_scan(scan, Path(path).name, as_of)


def _configured(path: Path, registry: list[Framework]) -> ContractSource | None:
    mtime = _mtime(path)
    if mtime is None:
        st.error(
            f"PANORAMA_DECP_PATH désigne « {path} », introuvable ou illisible : le scénario simulé est affiché.",
            icon=":material/error:",
        )
        return None
    ids = tuple(sorted({i for f in registry for i in f.decp_framework_ids}))
    today = date.today()
    try:
        contracts, report = _national(str(path), mtime, ids, tuple(probable_windows(registry)), today)
    except (pl.exceptions.PolarsError, OSError) as error:
        st.error(
            f"Fichier DECP configuré « {path.name} » illisible ({type(error).__name__} : {error}) : "
            "le scénario simulé est affiché.",
            icon=":material/error:",
        )
        return None
    if contracts is None:
        st.error(
            f"Fichier DECP configuré « {path.name} » inutilisable : {' ; '.join(report.errors)} "
            "Le scénario simulé est affiché.",
            icon=":material/error:",
        )
        return None
    return ContractSource(contracts, report, f"{CONFIGURED_LABEL_FR} (« {path.name} »)", False, today)


def _base_source() -> ContractSource:
    path = DecpSettings().decp_path
    if path is not None:
        configured = _configured(path, frameworks())
        if configured is not None:
            return configured
    return _scenario()


def contract_source() -> ContractSource:
    """This session's upload, else the configured national file, else the simulated scenario."""
    uploaded: ContractSource | None = st.session_state.get(UPLOADED_KEY)
    return uploaded if uploaded is not None else _base_source()


def framework_linked(source: ContractSource, framework: Framework, include_probable: bool) -> pl.DataFrame:
    """Contracts linked to the framework; the last few results are kept in the session (same frame object)."""
    cache: list[tuple[pl.DataFrame, str, bool, pl.DataFrame]] = st.session_state.setdefault(LINKED_CACHE_KEY, [])
    for contracts, framework_id, probable, linked in cache:
        if contracts is source.contracts and framework_id == framework.id and probable == include_probable:
            return linked
    linked = link_to_framework(source.contracts, framework, include_probable)
    cache.insert(0, (source.contracts, framework.id, include_probable, linked))
    del cache[8:]
    return linked


def simulated_banner(source: ContractSource) -> None:
    if source.simulated:
        st.warning(
            f"{SIMULATED_NOTICE_FR} Pour des données réelles : téléversez un fichier DECP "
            "sur la page « Marchés subséquents », ou configurez PANORAMA_DECP_PATH (fichier national).",
            icon=":material/science:",
        )


def _uploader_key() -> str:
    return f"decp_file_{st.session_state.get(UPLOADER_NONCE_KEY, 0)}"


def _load_upload() -> None:
    """Uploader callback: a file replaces the loaded contracts only when it could be read."""
    upload = st.session_state.get(_uploader_key())
    if upload is None:
        return
    contracts, report = read_decp(upload.getvalue(), upload.name)
    if contracts is None:
        message = f"Fichier « {upload.name} » refusé : {len(report.errors)} erreur(s) ; les données chargées restent."
        st.session_state[UPLOAD_OUTCOME_KEY] = ("error", message, report)
        return
    st.session_state[UPLOADED_KEY] = ContractSource(
        contracts, report, f"Fichier téléversé « {upload.name} »", False, date.today()
    )
    message = (
        f"Fichier « {upload.name} » chargé : {format_number(report.contracts_kept, 0)} marché(s), "
        f"{len(report.warnings)} avertissement(s). Il vaut pour cette session seulement : les fichiers livrés "
        "ne changent pas."
    )
    st.session_state[UPLOAD_OUTCOME_KEY] = ("success", message, report)


def _forget_upload() -> None:
    st.session_state.pop(UPLOADED_KEY, None)
    st.session_state.pop(UPLOAD_OUTCOME_KEY, None)
    st.session_state[UPLOADER_NONCE_KEY] = st.session_state.get(UPLOADER_NONCE_KEY, 0) + 1


def _show_report(report: DecpReport) -> None:
    st.caption(
        f"Fichier « {report.file_name} » · format : {report.source_format or 'non reconnu'} · "
        f"{format_number(report.rows_read, 0)} ligne(s) lue(s) · "
        f"{format_number(report.contracts_kept, 0)} marché(s) retenu(s)."
    )
    for message in report.errors[:MAX_LISTED]:
        st.error(escape_markdown(message), icon=":material/error:")
    if report.warnings:
        with st.expander(f"{len(report.warnings)} avertissement(s)"):
            for message in report.warnings[:MAX_LISTED]:
                st.warning(escape_markdown(message), icon=":material/warning:")
    if report.notes:
        with st.expander(f"{len(report.notes)} normalisation(s) appliquée(s)"):
            for message in report.notes[:MAX_LISTED]:
                st.markdown(f"- {escape_markdown(message)}")


def render_upload_panel() -> None:
    """Upload a DECP file for this session; the shipped files and the configured file never change."""
    st.markdown(
        "Formats acceptés : schéma tabulaire DECP 2.0 en CSV, XLSX, ODS ou Parquet, ou JSON DECP 2019 / 2022. "
        "Un fichier refusé ne modifie rien de ce qui est chargé ; un fichier accepté remplace les données "
        "pour cette session seulement."
    )
    st.file_uploader("Fichier DECP", type=UPLOAD_TYPES, key=_uploader_key(), on_change=_load_upload)
    if st.session_state.get(UPLOADED_KEY) is not None:
        back = "fichier configuré" if DecpSettings().decp_path is not None else "scénario simulé"
        st.button(f"Revenir au {back}", icon=":material/undo:", on_click=_forget_upload)
    outcome = st.session_state.get(UPLOAD_OUTCOME_KEY)
    if outcome is None:
        return
    level, message, report = outcome
    (st.success if level == "success" else st.error)(escape_markdown(message))
    _show_report(report)


def default_framework_id(source: ContractSource, registry: Sequence[Framework]) -> str | None:
    """The framework a visitor expects: the most recent one with contracts linked by identifier, else the
    most recent with probable links, else the most recent of the registry (registry order is chronological)."""
    for include_probable in (False, True):
        for framework in reversed(registry):
            if not framework_linked(source, framework, include_probable).is_empty():
                return framework.id
    return registry[-1].id if registry else None


def with_ministry(linked: pl.DataFrame, framework: Framework) -> pl.DataFrame:
    """Add `ministry_id`: the panorama ministry of the contract's beneficiary, null when the registry has none."""
    mapping = pl.DataFrame(
        [(b.name, b.ministry_id) for b in framework.beneficiaries if b.ministry_id],
        schema={"beneficiary": pl.String(), "ministry_id": pl.String()},
        orient="row",
    )
    return linked.join(mapping, on="beneficiary", how="left")


def filter_ministries(linked: pl.DataFrame, ministries: Sequence[str]) -> pl.DataFrame:
    """Contracts of the selected ministries; without a selection every contract, mapped or not, is kept."""
    if not ministries:
        return linked
    return linked.filter(pl.col("ministry_id").is_in(list(ministries)).fill_null(False))
