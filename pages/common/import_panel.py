"""Import of a new panorama edition from a file, for this session only, with every problem in French."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from analytics.formatting import format_month
from analytics.panorama.importing import EditionMergeError, ImportReport, import_edition, merge_edition
from pages.common import ui
from pages.common.data import IMPORTED_KEY, PanoramaView, set_session_projects, shipped_crosswalks

REPORT_KEY = "_import_report"
MAX_LISTED = 30


def _issues_frame(report: ImportReport) -> pl.DataFrame:
    rows = [("Erreur", i) for i in report.errors] + [("Avertissement", i) for i in report.warnings]
    return pl.DataFrame(
        {
            "Niveau": [level for level, _ in rows],
            "Ligne": [issue.row for _, issue in rows],
            "Colonne": [issue.column for _, issue in rows],
            "Valeur": [issue.value for _, issue in rows],
            "Message": [issue.message for _, issue in rows],
        },
        schema={
            "Niveau": pl.String,
            "Ligne": pl.Int64,
            "Colonne": pl.String,
            "Valeur": pl.String,
            "Message": pl.String,
        },
    )


def _run_import(view: PanoramaView) -> None:
    """Button callback: import, check, and merge into a new frame; nothing loaded changes on failure."""
    upload = st.session_state.get("import_file")
    if upload is None:
        st.session_state[REPORT_KEY] = ("error", "Choisissez d'abord un fichier CSV ou XLSX.", None)
        return
    chosen: date | None = None
    if st.session_state.get("import_edition_mode") == "Choisir le mois":
        picked: date = st.session_state["import_edition_month"]
        chosen = picked.replace(day=1)
    result = import_edition(upload.getvalue(), upload.name, chosen, shipped_crosswalks())
    report = result.report
    if result.frame is None:
        st.session_state[REPORT_KEY] = ("error", f"Import refusé : {len(report.errors)} erreur(s).", report)
        return
    try:
        merged = merge_edition(view.raw_projects, result.frame, replace=st.session_state.get("import_replace", False))
    except EditionMergeError as error:
        st.session_state[REPORT_KEY] = ("error", f"Import refusé : {error}", report)
        return
    set_session_projects(merged)
    st.session_state[REPORT_KEY] = (
        "success",
        f"Édition {format_month(report.edition)} importée : {result.frame.height} projet(s), "
        f"{len(report.warnings)} avertissement(s). Elle vaut pour cette session seulement : les fichiers livrés "
        "ne changent pas.",
        report,
    )


def render_import_panel(view: PanoramaView) -> None:
    st.markdown(
        "Formats acceptés : le tableau à 10 colonnes du panorama publié, ou l'export data.gouv.fr à 15 colonnes ; "
        "CSV (UTF-8, UTF-8 avec BOM ou Windows-1252 ; virgule ou point-virgule ; décimales à virgule ou à point) "
        "ou XLSX. Un fichier refusé ne modifie rien de ce qui est chargé."
    )
    st.file_uploader("Fichier de l'édition", type=["csv", "xlsx"], key="import_file")
    mode = st.radio(
        "Édition",
        ["Date de publication du fichier", "Choisir le mois"],
        key="import_edition_mode",
        horizontal=True,
        help="Le format data.gouv.fr porte une « Date de publication » ; sinon choisissez le mois de l'édition.",
    )
    if mode == "Choisir le mois":
        st.date_input(
            "Mois de l'édition",
            value=date.today().replace(day=1),
            key="import_edition_month",
            format="DD/MM/YYYY",
        )
    st.checkbox("Remplacer l'édition si elle est déjà chargée", key="import_replace")
    left, right = st.columns(2)
    left.button("Importer", type="primary", icon=":material/upload:", on_click=_run_import, args=(view,))
    if st.session_state.get(IMPORTED_KEY) is not None:
        right.button(
            "Revenir aux seules éditions livrées",
            icon=":material/undo:",
            on_click=lambda: (set_session_projects(None), st.session_state.pop(REPORT_KEY, None)),
        )

    outcome = st.session_state.get(REPORT_KEY)
    if outcome is None:
        return
    level, message, report = outcome
    (st.success if level == "success" else st.error)(message)
    if report is None:
        return
    st.caption(
        f"Fichier « {report.file} » · format : {report.file_format or 'non reconnu'} · "
        f"encodage : {report.encoding or 'inconnu'} · {report.rows} ligne(s) lue(s)."
    )
    issues = _issues_frame(report)
    if not issues.is_empty():
        for issue in report.errors[:MAX_LISTED]:
            st.error(issue.message, icon=":material/error:")
        if report.warnings:
            with st.expander(f"{len(report.warnings)} avertissement(s)"):
                for issue in report.warnings[:MAX_LISTED]:
                    st.warning(issue.message, icon=":material/warning:")
        if len(issues) > MAX_LISTED:
            st.caption(f"Liste complète ({len(issues)} problèmes) dans le fichier ci-dessous.")
        ui.download_table(issues, "rapport-import", "dl_import_report")
