"""The orders ledger (registre des bons de commande) as the app sees it: this session's upload, else the simulated
ledger shipped in data/decp/; and the panel to upload one, with its documented template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.decp.frameworks import Framework, FrameworkRegistryError
from analytics.decp.orders import (
    LEDGER_RULE_FR,
    LEDGER_UPLOAD_TYPES,
    OrdersReport,
    empty_orders,
    ledger_columns_fr,
    ledger_readme_fr,
    ledger_template_csv,
    ledger_template_xlsx,
    read_orders,
)
from analytics.decp.readers import ORDERS_SCENARIO_PATH, DecpSettings
from analytics.formatting import format_eur_as_meur, format_number
from analytics.settings import from_environment
from pages.common import ui
from pages.common.contracts_data import (
    SCENARIO_AS_OF,
    UploadOutcome,
    forget_upload,
    frameworks,
    mtime,
    registry_file,
    show_outcome,
)

ORDERS_SCENARIO_LABEL_FR = "Données simulées (registre embarqué)"
UPLOADED_ORDERS_KEY = "_orders_uploaded"  # OrdersSource of this session's last good ledger
ORDERS_OUTCOME_KEY = "_orders_upload_outcome"  # UploadOutcome of the last ledger upload attempt
ORDERS_NONCE_KEY = "_orders_uploader_nonce"  # bumped to empty the uploader when going back
ORDERS_UPLOADER_PREFIX = "orders_file_"


@dataclass(frozen=True)
class OrdersSource:
    """Orders the app counts for the lots executed by bons de commande (ORDER_SCHEMA), and where they come from."""

    orders: pl.DataFrame
    report: OrdersReport
    label_fr: str
    simulated: bool
    as_of: date  # the scenario's fixed date for the simulated ledger, the upload's day otherwise
    simulated_what_fr: str = "les bons de commande du lot 1 et de l'accord-cadre 2021 (registre)"


@st.cache_resource(show_spinner="Chargement du registre simulé…")
def _scenario_orders(registry_path: str, modified: int | None) -> OrdersSource:
    """Read with the registry's lots and terms; keyed on the registry's version, which the checks depend on."""
    try:
        registry = registry_file(registry_path, modified)
    except FrameworkRegistryError:
        registry = []
    orders, report = read_orders(ORDERS_SCENARIO_PATH, ORDERS_SCENARIO_PATH.name, registry)
    return OrdersSource(
        orders if orders is not None else empty_orders(), report, ORDERS_SCENARIO_LABEL_FR, True, SCENARIO_AS_OF
    )


def orders_source() -> OrdersSource:
    """This session's uploaded ledger, else the simulated one."""
    uploaded: OrdersSource | None = st.session_state.get(UPLOADED_ORDERS_KEY)
    if uploaded is not None:
        return uploaded
    path = from_environment(DecpSettings).frameworks_path
    return _scenario_orders(str(path), mtime(Path(path)))


def _uploader_key() -> str:
    return f"{ORDERS_UPLOADER_PREFIX}{st.session_state.get(ORDERS_NONCE_KEY, 0)}"


def _load_ledger(registry: list[Framework]) -> None:
    """Uploader callback: a ledger replaces the loaded one only when it has no defect at all."""
    upload = st.session_state.get(_uploader_key())
    if upload is None:
        return
    orders, report = read_orders(upload.getvalue(), upload.name, registry)
    if orders is None:
        message = (
            f"Registre « {upload.name} » refusé : {len(report.errors)} erreur(s) ; rien de ce qui est chargé ne "
            "change. Corrigez les lignes indiquées (ou partez du modèle) puis chargez-le à nouveau."
        )
        st.session_state[ORDERS_OUTCOME_KEY] = UploadOutcome(False, message, report)
        return
    st.session_state[UPLOADED_ORDERS_KEY] = OrdersSource(
        orders, report, f"Registre téléversé « {upload.name} »", False, date.today()
    )
    message = (
        f"Registre « {upload.name} » chargé : {format_number(report.orders_kept, 0)} bon(s) de commande, dont "
        f"{format_number(report.orders_counted, 0)} compté(s) pour {format_eur_as_meur(report.counted_eur)} HT ; "
        f"{len(report.warnings)} avertissement(s). Il remplace le registre simulé pour cette session seulement."
    )
    st.session_state[ORDERS_OUTCOME_KEY] = UploadOutcome(True, message, report)


def _template_downloads() -> None:
    row = st.container(horizontal=True, gap="small")
    for label, build, name, mime in (
        ("Modèle CSV", ledger_template_csv, "registre-bons-de-commande.csv", "text/csv"),
        ("Modèle XLSX", ledger_template_xlsx, "registre-bons-de-commande.xlsx", ui.XLSX_MIME),
        (
            "Notice (Markdown)",
            lambda: ledger_readme_fr().encode("utf-8"),
            "registre-bons-de-commande.md",
            "text/markdown",
        ),
    ):
        row.download_button(
            label,
            data=build,
            file_name=name,
            mime=mime,
            key=f"dl_ledger_{name.rsplit('.', 1)[1]}",
            icon=":material/download:",
            on_click="ignore",
            width="content",
        )


def render_orders_upload_panel() -> None:
    """Upload an orders ledger for this session; the template and its documentation are downloadable here."""
    registry = frameworks()
    st.markdown(
        "Les bons de commande ne sont pas publiés dans les DECP : la dépense du lot 1 de l'accord-cadre 2026 et de "
        "l'accord-cadre 2021 se suit dans le registre que tient le gestionnaire de l'accord-cadre. Une ligne par "
        "bon de commande ; CSV (UTF-8 ou Windows-1252, « ; » ou « , ») ou XLSX (première feuille). Un registre "
        "comportant une erreur est refusé en entier, avec la ligne, la colonne, la valeur et la raison de chaque "
        "erreur ; un registre accepté remplace le registre simulé pour cette session seulement."
    )
    with st.expander("Colonnes du modèle"):
        st.markdown(ledger_columns_fr())
        st.caption(LEDGER_RULE_FR)
    _template_downloads()
    st.file_uploader(
        "Registre des bons de commande",
        type=LEDGER_UPLOAD_TYPES,
        key=_uploader_key(),
        on_change=_load_ledger,
        args=(registry,),
    )
    if st.session_state.get(UPLOADED_ORDERS_KEY) is not None:
        st.button(
            "Revenir au registre simulé",
            icon=":material/undo:",
            on_click=forget_upload,
            args=(UPLOADED_ORDERS_KEY, ORDERS_OUTCOME_KEY, ORDERS_NONCE_KEY),
        )
    show_outcome(st.session_state.get(ORDERS_OUTCOME_KEY), "dl_ledger_report")
