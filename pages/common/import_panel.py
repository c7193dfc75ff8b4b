"""Import of a new panorama edition: check the file, answer the overlap question, review the new names, then use it
for this session or keep it for everyone; the kept editions with their provenance, and their removal.

Every string that comes from a file (cells, file name) is shown as plain text (`st.text`, `st.dataframe`), never
through Markdown: alerts carry only the app's own sentences (dates, counts). The outcome of the last action stays
on the panel until the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import polars as pl
import streamlit as st

from analytics.formatting import format_edition_label, format_number
from analytics.intake import PANORAMA_LIMITS, UPLOAD_LIMIT_NOTE_FR, Issue
from analytics.panorama.edition_import import ImportPlan, keep_import, plan_import, session_edition
from analytics.panorama.store import StoreError
from pages.common import ui
from pages.common.data import (
    SESSION_VERSION_PREFIX,
    PanoramaView,
    add_session_edition,
    clear_session_editions,
    edition_store,
    shared_crosswalks,
    shared_data,
)

UPLOAD_KEY = "import_file"
MODE_KEY = "import_edition_mode"
MONTH_KEY = "import_edition_month"
CHOICE_KEY = "import_overlap_choice"
REMOVAL_CHOICE_KEY = "import_removal_choice"
PENDING_KEY = "_import_pending"  # PendingImport: the checked file, until it is used, kept or cancelled
OUTCOME_KEY = "_import_outcome"  # Outcome of the last action, shown until the next one
REMOVAL_KEY = "_import_removal"  # the kept edition whose removal awaits confirmation
FILE_MODE, CHOSEN_MODE = "Date de publication du fichier", "Choisir le mois"
REPLACE, SEPARATE = "replace", "separate"
STORE_UNWRITABLE_FR = "Le magasin des éditions conservées n'a pas pu être écrit : rien n'a été conservé."
LEVELS_FR = {"error": "Erreur", "warning": "Avertissement", "note": "Note"}
FORMATS_FR = (
    "Formats acceptés : le tableau à 10 colonnes du panorama publié, ou l'export data.gouv.fr à 15 colonnes ; "
    "CSV (UTF-8, UTF-8 avec BOM ou Windows-1252 ; virgule ou point-virgule ; décimales à virgule ou à point) "
    "ou XLSX. Un fichier est d'abord vérifié : rien ne change tant que vous n'avez pas choisi de l'utiliser."
)
LIMITS_FR = f"{UPLOAD_LIMIT_NOTE_FR} {format_number(PANORAMA_LIMITS.max_rows, 0)} lignes de projets au plus."
NAMES_FR = (
    "Ces noms ne figurent dans aucune édition chargée ni table de correspondance. Acceptées, les identités "
    "proposées rattachent chaque projet à son historique (« renommé ») ou en font un nouveau projet ; sinon ils "
    "gardent un identifiant provisoire et leurs écarts partent de cette édition."
)

PROJECT_NAMES_FR = {  # name review columns -> headers
    "project_name": "Projet publié",
    "ministry_name": "Ministère",
    "project_id": "Identifiant proposé",
    "match_note": "Proposition",
    "confidence": "Confiance",
    "candidate_project_name": "Projet rapproché",
    "candidate_edition": "Édition du projet rapproché",
}
MINISTRY_NAMES_FR = {
    "ministry_name": "Ministère publié",
    "ministry_id": "Identifiant proposé",
    "ministry_label": "Libellé",
    "confidence": "Confiance",
    "candidate_ministry_name": "Ministère rapproché",
}


@dataclass(frozen=True)
class PendingImport:
    """A checked file awaiting the person's decision; `content` is what `keep_import` verifies again."""

    plan: ImportPlan
    content: bytes
    names_accepted: bool = False


@dataclass(frozen=True)
class Outcome:
    """What the last action did: `headline` is the app's own sentence, `detail` plain text (it may quote the file)."""

    level: Literal["success", "error"]
    headline: str
    detail: str | None = None


# ---------------------------------------------------------------- callbacks


def _set_outcome(level: Literal["success", "error"], headline: str, detail: str | None = None) -> None:
    st.session_state[OUTCOME_KEY] = Outcome(level, headline, detail)


def _forget_plan() -> None:
    """A new file or another edition month: the last check no longer applies."""
    st.session_state.pop(PENDING_KEY, None)
    st.session_state.pop(CHOICE_KEY, None)


def _chosen_month() -> date | None:
    if st.session_state.get(MODE_KEY) != CHOSEN_MODE:
        return None
    picked: date = st.session_state[MONTH_KEY]
    return picked.replace(day=1)


def _check_file() -> None:
    """« Vérifier le fichier »: read and check against the shared editions (shipped and kept: what everyone sees,
    and what a kept edition joins); nothing changes."""
    _forget_plan()
    st.session_state.pop(OUTCOME_KEY, None)
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        _set_outcome("error", "Choisissez d'abord un fichier CSV ou XLSX.")
        return
    content = upload.getvalue()
    try:
        crosswalks = shared_crosswalks()
    except OSError as error:
        _set_outcome("error", "Le magasin des éditions conservées est illisible : rien n'est vérifié.", error.strerror)
        return
    loaded = shared_data().view.raw_projects
    plan = plan_import(content, upload.name, loaded=loaded, crosswalks=crosswalks, edition=_chosen_month())
    st.session_state[PENDING_KEY] = PendingImport(plan, content)


def _pending() -> PendingImport | None:
    """The checked file; None after a second click on an action already done."""
    return st.session_state.get(PENDING_KEY)


def _answer(plan: ImportPlan) -> dict[str, object]:
    choice = st.session_state.get(CHOICE_KEY)
    return {"replace": plan.proposed_replacement if choice == REPLACE else None, "keep_separate": choice == SEPARATE}


def _replaced(plan: ImportPlan, replace: date | None) -> str:
    if replace is None:
        return ""
    read_as = f" (le fichier porte {plan.edition:%Y-%m})" if plan.edition != replace else ""
    return f", à la place de l'édition {replace:%Y-%m} chargée{read_as}"


def _use_for_session() -> None:
    pending = _pending()
    if pending is None:
        return
    answer = _answer(pending.plan)
    try:
        edition = session_edition(pending.plan, **answer, accept_names=pending.names_accepted)
    except StoreError as error:
        _set_outcome("error", "Rien n'a changé.", str(error))
        return
    add_session_edition(edition)
    _forget_plan()
    month = edition.item(0, "edition")
    _set_outcome(
        "success",
        f"Édition {format_edition_label(month)} utilisée pour cette session : {edition.height} projet(s)"
        f"{_replaced(pending.plan, answer['replace'])}. Les autres sessions et les fichiers livrés ne changent pas.",
        f"Fichier : {pending.plan.result.report.file}",
    )


def _keep_for_all() -> None:
    pending = _pending()
    if pending is None:
        return
    answer = _answer(pending.plan)
    try:
        kept = keep_import(
            pending.plan, pending.content, edition_store(), **answer, accept_names=pending.names_accepted
        )
    except StoreError as error:
        _set_outcome("error", "Rien n'a été conservé.", str(error))
        return
    except OSError as error:
        _set_outcome("error", STORE_UNWRITABLE_FR, f"{error.filename or ''} : {error.strerror}")
        return
    _forget_plan()
    _set_outcome(
        "success",
        f"Édition {format_edition_label(kept.edition)} conservée pour tous : {kept.rows} projet(s)"
        f"{_replaced(pending.plan, answer['replace'])}. Elle s'affiche dans chaque session, y compris après un "
        "redémarrage ; les fichiers livrés ne changent pas.",
        f"Fichier : {kept.file_name}\nSHA-256 : {kept.sha256}",
    )


def _accept_names(accepted: bool) -> None:
    pending = _pending()
    if pending is not None:
        st.session_state[PENDING_KEY] = replace(pending, names_accepted=accepted)


def _cancel() -> None:
    _forget_plan()
    _set_outcome("success", "Import annulé : rien n'a changé.")


def _back_to_shared() -> None:
    clear_session_editions()
    _set_outcome("success", "Retour aux éditions partagées : les éditions importées pour cette session sont retirées.")


def _ask_removal() -> None:
    st.session_state[REMOVAL_KEY] = st.session_state.get(REMOVAL_CHOICE_KEY)


def _confirm_removal(edition: date) -> None:
    st.session_state.pop(REMOVAL_KEY, None)
    try:
        entry = edition_store().remove(edition)
    except (StoreError, OSError) as error:
        _set_outcome("error", f"L'édition {edition:%Y-%m} n'a pas été retirée.", str(error))
        return
    _set_outcome(
        "success",
        f"Édition {format_edition_label(entry.edition)} retirée du magasin pour tous ; si une édition livrée porte "
        "ce mois, elle s'affiche de nouveau.",
        f"Fichier : {entry.file_name}",
    )


# ---------------------------------------------------------------- drawing


def issues_frame(issues: Sequence[Issue]) -> pl.DataFrame:
    """The one report table: every issue with its level, file, row, column, value and message."""
    return pl.DataFrame(
        [(LEVELS_FR[i.level], i.file, i.row, i.column, i.value, i.message) for i in issues],
        schema={
            "Niveau": pl.String,
            "Fichier": pl.String,
            "Ligne": pl.Int64,
            "Colonne": pl.String,
            "Valeur": pl.String,
            "Message": pl.String,
        },
        orient="row",
    )


def show_issues(issues: Sequence[Issue], download_key: str) -> None:
    """Every issue in a table (cells are plain text there), downloadable as CSV and XLSX."""
    frame = issues_frame(issues)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"Message": st.column_config.TextColumn(width="large")},
    )
    ui.download_table(frame, "rapport-import", download_key)


def _show_outcome() -> None:
    outcome: Outcome | None = st.session_state.get(OUTCOME_KEY)
    if outcome is None:
        return
    (st.success if outcome.level == "success" else st.error)(outcome.headline)
    if outcome.detail:
        st.text(outcome.detail)


def _show_file(plan: ImportPlan) -> None:
    report = plan.result.report
    (st.error if plan.status == "refused" else st.info)(plan.summary())
    st.text(
        f"Fichier : {report.file}\nFormat : {report.file_format or 'non reconnu'} · encodage : "
        f"{report.encoding or 'inconnu'} · {format_number(report.rows, 0)} ligne(s) lue(s)"
    )
    if report.issues:
        count = f"{len(report.errors)} erreur(s), {len(report.warnings)} avertissement(s)"
        st.markdown(f"**Rapport de vérification** ({count})")
        show_issues(report.issues, "dl_import_report")


def _overlap_question(plan: ImportPlan) -> bool:
    """The overlap and the choice; True once answered (or when nothing overlaps)."""
    if not plan.overlaps:
        return True
    first = plan.overlaps[0]
    st.warning(first.message, icon=":material/content_copy:")
    others = [f"{o.existing:%Y-%m}" for o in plan.overlaps[1:]]
    if others:
        st.caption(f"Le fichier ressemble aussi à : {', '.join(others)}.")
    options = [REPLACE] if first.reason == "same_month" else [REPLACE, SEPARATE]
    labels = {REPLACE: f"Remplacer l'édition {first.existing:%Y-%m}", SEPARATE: "Garder à part"}
    st.radio(
        "Que faire de ce fichier ?",
        options,
        index=None,
        key=CHOICE_KEY,
        format_func=labels.__getitem__,
        help=None
        if SEPARATE in options
        else "Le fichier porte le même mois qu'une édition chargée : il ne peut que la remplacer (ou être annulé).",
    )
    return st.session_state.get(CHOICE_KEY) is not None


def _names_review(pending: PendingImport) -> None:
    names = pending.plan.names
    if names is None or names.empty:
        return
    st.markdown(f"**Noms à revoir** ({names.projects.height} projet(s), {names.ministries.height} ministère(s))")
    st.caption(NAMES_FR)
    for proposals, headers in ((names.projects, PROJECT_NAMES_FR), (names.ministries, MINISTRY_NAMES_FR)):
        if not proposals.is_empty():
            st.dataframe(proposals.select(list(headers)).rename(headers), hide_index=True, width="stretch")
    if pending.names_accepted:
        st.success("Identités proposées acceptées : elles s'appliquent à l'édition utilisée ou conservée.")
        st.button("Ne pas accepter les identités", icon=":material/undo:", on_click=_accept_names, args=(False,))
    else:
        st.button("Accepter les identités proposées", icon=":material/check:", on_click=_accept_names, args=(True,))


def _pending_panel(pending: PendingImport) -> None:
    plan = pending.plan
    _show_file(plan)
    if plan.status == "refused":
        st.button("Fermer le rapport", icon=":material/close:", on_click=_forget_plan)
        return
    answered = _overlap_question(plan)
    _names_review(pending)
    row = st.container(horizontal=True, gap="small")
    row.button(
        "Utiliser pour cette session",
        icon=":material/person:",
        on_click=_use_for_session,
        disabled=not answered,
        help="L'édition vaut pour vous seul, jusqu'à la fin de la session.",
    )
    row.button(
        "Conserver pour tous",
        type="primary",
        icon=":material/save:",
        on_click=_keep_for_all,
        disabled=not answered,
        help="L'édition est conservée dans le magasin : chaque session la voit, y compris après un redémarrage.",
    )
    row.button("Annuler", icon=":material/close:", on_click=_cancel)


def _kept_editions() -> None:
    st.subheader("Éditions conservées pour tous")
    try:
        kept = edition_store().editions()
    except (StoreError, OSError) as error:
        st.error("Le magasin des éditions conservées est illisible.", icon=":material/error:")
        st.text(str(error))
        return
    if not kept:
        st.caption("Aucune édition conservée : seules les éditions livrées sont partagées.")
        return
    st.dataframe(
        pl.DataFrame(
            [
                (
                    f"{e.edition:%Y-%m}",
                    e.file_name,
                    e.file_format,
                    f"{e.read_as:%Y-%m}" if e.read_as else None,
                    e.rows,
                    f"{e.imported_at:%d/%m/%Y %H:%M}",
                    e.sha256,
                )
                for e in kept
            ],
            schema=["Édition", "Fichier", "Format", "Lue comme", "Lignes", "Importée le", "SHA-256"],
            orient="row",
        ),
        hide_index=True,
        width="stretch",
    )
    _removal([e.edition for e in kept])


def _removal(editions: list[date]) -> None:
    awaiting: date | None = st.session_state.get(REMOVAL_KEY)
    if awaiting in editions:
        st.warning(
            f"Retirer l'édition {format_edition_label(awaiting)} pour tous ? Son fichier conservé est supprimé ; "
            "l'édition livrée du même mois, s'il y en a une, s'affiche de nouveau.",
            icon=":material/warning:",
        )
        row = st.container(horizontal=True, gap="small")
        row.button("Confirmer le retrait", type="primary", on_click=_confirm_removal, args=(awaiting,))
        row.button("Annuler le retrait", on_click=lambda: st.session_state.pop(REMOVAL_KEY, None))
        return
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    row.selectbox("Édition à retirer", editions, key=REMOVAL_CHOICE_KEY, format_func=format_edition_label)
    row.button("Retirer…", icon=":material/delete:", on_click=_ask_removal)


def render_import_panel(view: PanoramaView) -> None:
    """The panel; `view` is what this session sees (its own imports, if any, can be dropped from here)."""
    st.markdown(FORMATS_FR)
    st.file_uploader(
        "Fichier de l'édition", type=["csv", "xlsx"], key=UPLOAD_KEY, on_change=_forget_plan, help=LIMITS_FR
    )
    st.caption(LIMITS_FR)
    mode = st.radio(
        "Édition",
        [FILE_MODE, CHOSEN_MODE],
        key=MODE_KEY,
        horizontal=True,
        on_change=_forget_plan,
        help="Le format data.gouv.fr porte une « Date de publication » ; sinon choisissez le mois de l'édition.",
    )
    if mode == CHOSEN_MODE:
        st.date_input(
            "Mois de l'édition",
            value=date.today().replace(day=1),
            key=MONTH_KEY,
            format="DD/MM/YYYY",
            on_change=_forget_plan,
        )
    row = st.container(horizontal=True, gap="small")
    row.button("Vérifier le fichier", type="primary", icon=":material/fact_check:", on_click=_check_file)
    if view.version.startswith(SESSION_VERSION_PREFIX):
        row.button("Revenir aux éditions partagées", icon=":material/undo:", on_click=_back_to_shared)
    _show_outcome()
    pending = _pending()
    if pending is not None:
        _pending_panel(pending)
    _kept_editions()
