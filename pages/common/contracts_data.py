"""DECP contracts as the app sees them: this session's upload, else the configured national file, else the
simulated scenario; plus the framework registry, the banner that says when data are simulated, and how an upload's
report is shown (plain text: a file's cells are never rendered as Markdown)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.decp import SIMULATED_NOTICE_FR, SIMULATED_SHORT_FR
from analytics.decp.frameworks import Framework, FrameworkRegistryError, load_frameworks
from analytics.decp.linking import link_to_framework
from analytics.decp.national import national_filter, probable_windows
from analytics.decp.normalise import NORMALISED_SCHEMA
from analytics.decp.readers import SCENARIO_PATH, DecpSettings, contracts_from_scan, read_decp, scan_decp_table
from analytics.decp.report import DecpReport, FileReport
from analytics.formatting import escape_markdown, format_number
from analytics.params.vocabulary import Vocabulary
from analytics.settings import from_environment
from analytics.simulations.framework_ceiling import can_simulate
from pages.common import ui

SCENARIO_AS_OF = date(2026, 10, 31)  # the scenario's fixed as-of date (data/decp/SCENARIO.md)
SCENARIO_LABEL_FR = "Données simulées (scénario embarqué)"
CONFIGURED_LABEL_FR = "Fichier configuré PANORAMA_DECP_PATH"
UPLOADED_KEY = "_decp_uploaded"  # ContractSource of this session's last good upload
UPLOAD_OUTCOME_KEY = "_decp_upload_outcome"  # UploadOutcome of the last upload attempt
UPLOADER_NONCE_KEY = "_decp_uploader_nonce"  # bumped to empty the uploader when going back
LINKED_CACHE_KEY = "_decp_linked"
UPLOAD_TYPES = ["csv", "xlsx", "ods", "parquet", "json"]
MAX_LISTED = 30
LOAD_REAL_DATA_FR = (
    " Pour des données réelles : sur la page « Accords-cadres agiles », téléversez un fichier DECP ou votre registre "
    "des bons de commande, ou configurez PANORAMA_DECP_PATH (fichier DECP national)."
)


@dataclass(frozen=True)
class ContractSource:
    """Contracts the app analyses (normalised, not yet linked to a framework) and where they come from."""

    contracts: pl.DataFrame  # NORMALISED_SCHEMA
    report: DecpReport
    label_fr: str
    simulated: bool
    as_of: date  # the scenario's fixed date for simulated data, today for real data
    simulated_what_fr: str = "les marchés subséquents du lot 2 (DECP)"


@dataclass(frozen=True)
class UploadOutcome:
    """What the last upload attempt of a panel did, shown until the next one."""

    accepted: bool
    message: str  # French, without any cell of the file
    report: FileReport


@dataclass(frozen=True)
class LinkedEntry:
    """One cached `link_to_framework` result, valid for this very contracts frame (compared by identity)."""

    contracts: pl.DataFrame
    framework_id: str
    include_probable: bool
    linked: pl.DataFrame

    def matches(self, contracts: pl.DataFrame, framework_id: str, include_probable: bool) -> bool:
        return (
            self.contracts is contracts
            and self.framework_id == framework_id
            and self.include_probable == include_probable
        )


def mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@st.cache_resource
def registry_file(path: str, modified: int | None) -> list[Framework]:
    """Keyed on the modification time so that an edited registry is read again."""
    return load_frameworks(Path(path))


def frameworks() -> list[Framework]:
    """The registry of framework agreements; a defect is shown in French and yields an empty list."""
    path = from_environment(DecpSettings).frameworks_path
    try:
        return registry_file(str(path), mtime(path))
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
            "framework_lots": {lot.id: f.id for f in registry for lot in f.lots},
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
    where = national_filter(framework_ids, windows)
    return contracts_from_scan(
        lambda lossy: scan_decp_table(Path(path), lossy=lossy).filter(where), Path(path).name, as_of
    )


def _configured(path: Path, registry: list[Framework]) -> ContractSource | None:
    modified = mtime(path)
    if modified is None:
        st.error(
            f"PANORAMA_DECP_PATH désigne « {path} », introuvable ou illisible : le scénario simulé est affiché.",
            icon=":material/error:",
        )
        return None
    ids = tuple(sorted({i for f in registry for i in f.decp_framework_ids}))
    today = date.today()
    try:
        contracts, report = _national(str(path), modified, ids, tuple(probable_windows(registry)), today)
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
    if not ui.meeting_mode():  # row-level warnings are in the page's quality counts; these are about the file
        for issue in report.located:
            if issue.level == "warning" and issue.row is None:
                st.warning(escape_markdown(issue.message), icon=":material/warning:")
    return ContractSource(contracts, report, f"{CONFIGURED_LABEL_FR} (« {path.name} »)", False, today)


def _base_source() -> ContractSource:
    path = from_environment(DecpSettings).decp_path
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
    cache: list[LinkedEntry] = st.session_state.setdefault(LINKED_CACHE_KEY, [])
    for entry in cache:
        if entry.matches(source.contracts, framework.id, include_probable):
            return entry.linked
    linked = link_to_framework(source.contracts, framework, include_probable)
    cache.insert(0, LinkedEntry(source.contracts, framework.id, include_probable, linked))
    del cache[8:]
    return linked


def simulated_banner(*sources: object, how: str = LOAD_REAL_DATA_FR, short: bool = False) -> None:
    """« Données simulées » and which data are, whenever any of the `sources` (contracts, orders) is simulated;
    then `how` to load real data. `short`: one line when every source is simulated (meeting mode)."""
    labels = [getattr(source, "simulated_what_fr", "") for source in sources if getattr(source, "simulated", False)]
    if not labels:
        return
    if len(labels) == len(sources):
        text = SIMULATED_SHORT_FR if short else SIMULATED_NOTICE_FR
    else:
        text = (
            f"Données simulées : {' ; '.join(labels)} (scénario embarqué, généré par un script à graine fixe). "
            "Le reste vient du fichier chargé."
        )
    st.warning(f"{text}{how}", icon=":material/science:")


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
        st.session_state[UPLOAD_OUTCOME_KEY] = UploadOutcome(False, message, report)
        return
    st.session_state[UPLOADED_KEY] = ContractSource(
        contracts, report, f"Fichier téléversé « {upload.name} »", False, date.today()
    )
    message = (
        f"Fichier « {upload.name} » chargé : {format_number(report.contracts_kept, 0)} marché(s), "
        f"{len(report.warnings)} avertissement(s). Il vaut pour cette session seulement : les fichiers livrés "
        "ne changent pas."
    )
    st.session_state[UPLOAD_OUTCOME_KEY] = UploadOutcome(True, message, report)


def forget_upload(uploaded_key: str, outcome_key: str, nonce_key: str) -> None:
    """Button callback: back to the shipped data; the nonce gives the uploader a new key, so it is emptied."""
    st.session_state.pop(uploaded_key, None)
    st.session_state.pop(outcome_key, None)
    st.session_state[nonce_key] = st.session_state.get(nonce_key, 0) + 1


def _plain_messages(messages: list[str], kind: str) -> None:
    """A file's messages quote its cells: shown as plain text, never as Markdown."""
    for message in messages[:MAX_LISTED]:
        st.text(message)
    if len(messages) > MAX_LISTED:
        st.caption(f"… et {len(messages) - MAX_LISTED} autre(s) {kind} (liste complète à télécharger ci-dessous).")


def show_verdict(outcome: UploadOutcome | None) -> None:
    """The last upload attempt's verdict: the page draws it outside the upload's expander, so that it stays
    visible once the expander is closed."""
    if outcome is not None:
        (st.success if outcome.accepted else st.error)(escape_markdown(outcome.message))


def show_outcome(outcome: UploadOutcome | None, download_key: str) -> None:
    """The last upload attempt's details (its verdict is `show_verdict`'s): which columns fed which field, its
    located messages, as plain text."""
    if outcome is None:
        return
    report = outcome.report
    st.caption(
        f"Fichier « {escape_markdown(report.file_name)} » · format : {report.source_format or 'non reconnu'} · "
        f"{format_number(report.rows_read, 0)} ligne(s) lue(s)."
    )
    if report.columns_used:
        st.markdown("**Colonnes utilisées** (champ ← colonne du fichier)")
        st.text("\n".join(f"{field} ← {column}" for field, column in report.columns_used.items()))
    for title, messages in (("erreur(s)", report.errors), ("avertissement(s)", report.warnings)):
        if messages:
            st.markdown(f"**{len(messages)} {title}**")
            _plain_messages(messages, title)
    if report.notes:
        with st.expander(f"{len(report.notes)} normalisation(s) appliquée(s)"):
            _plain_messages(report.notes, "normalisation(s)")
    listed = [("Erreur", m) for m in report.errors] + [("Avertissement", m) for m in report.warnings]
    if listed:
        ui.download_table(
            pl.DataFrame(listed, schema={"Niveau": pl.String(), "Message": pl.String()}, orient="row"),
            "rapport-fichier",
            download_key,
        )


def render_upload_panel() -> None:
    """Upload a DECP file for this session; the shipped files and the configured file never change."""
    st.markdown(
        "Formats acceptés : schéma tabulaire DECP 2.0 en CSV, XLSX, ODS ou Parquet (le fichier consolidé de "
        "decp.info, qui nomme le titulaire `titulaire_nom`, est lu aussi), ou JSON DECP 2019 / 2022. Seuls les "
        "marchés subséquents du lot 2 (et des lots exécutés par marchés subséquents) sont comptés depuis ce "
        "fichier. Un fichier refusé ne modifie rien de ce qui est chargé ; un fichier accepté remplace les données "
        "DECP pour cette session seulement."
    )
    st.file_uploader("Fichier DECP", type=UPLOAD_TYPES, key=_uploader_key(), on_change=_load_upload)
    if st.session_state.get(UPLOADED_KEY) is not None:
        back = "fichier configuré" if from_environment(DecpSettings).decp_path is not None else "scénario simulé"
        st.button(
            f"Revenir au {back}",
            icon=":material/undo:",
            on_click=forget_upload,
            args=(UPLOADED_KEY, UPLOAD_OUTCOME_KEY, UPLOADER_NONCE_KEY),
        )
    show_outcome(st.session_state.get(UPLOAD_OUTCOME_KEY), "dl_decp_report")


def current_framework_id(registry: Sequence[Framework]) -> str | None:
    """The framework a visitor expects: the current one, the registry's most recent (its order is chronological)."""
    return registry[-1].id if registry else None


def with_ministry(frame: pl.DataFrame, framework: Framework, column: str = "beneficiary") -> pl.DataFrame:
    """Add `ministry_id`: the panorama ministry of the registry beneficiary in `column`, null when it has none."""
    mapping = pl.DataFrame(
        [(b.name, b.ministry_id) for b in framework.beneficiaries if b.ministry_id],
        schema={column: pl.String(), "ministry_id": pl.String()},
        orient="row",
    )
    return frame.join(mapping, on=column, how="left")


def filter_ministries(linked: pl.DataFrame, ministries: Sequence[str]) -> pl.DataFrame:
    """Rows of the selected ministries; without a selection every row, mapped or not, is kept."""
    if not ministries:
        return linked
    return linked.filter(pl.col("ministry_id").is_in(list(ministries)).fill_null(False))
