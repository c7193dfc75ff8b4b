"""Sections of the Marchés subséquents page: key figures, pace, breakdowns, largest contracts, data quality."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from analytics import charts
from analytics.decp.frameworks import Framework
from analytics.decp.spend import (
    PACE_METHOD_FR,
    by_beneficiary,
    by_contractor,
    by_quarter,
    concentration,
    contract_sizes,
    largest_contracts,
    pace,
)
from analytics.formatting import escape_markdown as md
from analytics.formatting import format_eur_as_meur, format_number, format_pct
from pages.common import ui
from pages.common.contracts_data import ContractSource


def kpis(linked: pl.DataFrame, framework: Framework, *, meeting: bool) -> None:
    """Key figures; four only in meeting mode."""
    sizes, top = contract_sizes(linked), concentration(linked)
    estimate, maximum = framework.estimated_amount_eur, framework.maximum_amount_eur
    cells = [
        (
            "Montant notifié cumulé",
            format_eur_as_meur(sizes.total_eur),
            f"{sizes.excluded_flagged} marché(s) au montant signalé exclu(s). Montant notifié, pas dépensé.",
        ),
        (
            "Part de l'estimation",
            format_pct(sizes.total_eur / estimate if estimate else None),
            f"Estimation : {format_eur_as_meur(estimate, 0)}" if estimate else "Montant estimé non publié.",
        ),
        (
            "Part du maximum",
            format_pct(sizes.total_eur / maximum if maximum else None),
            f"Maximum : {format_eur_as_meur(maximum, 0)}" if maximum else "Montant maximum non publié.",
        ),
        (
            "Nombre de marchés",
            format_number(sizes.contracts, 0),
            "Marchés rattachés comptés (montant présent, non signalé).",
        ),
        (
            "Taille moyenne / médiane",
            f"{format_eur_as_meur(sizes.mean_eur, 2)} / {format_eur_as_meur(sizes.median_eur, 2)}",
            "Montant notifié par marché.",
        ),
        (
            "Part du 1er titulaire",
            format_pct(top.top1_share),
            f"{top.top_contractor or '–'} ; groupements comptés sous leur mandataire.",
        ),
        ("Part des 3 premiers titulaires", format_pct(top.top3_share), f"{top.contractors} titulaire(s) au total."),
    ]
    shown = cells[:4] if meeting else cells
    columns = st.columns(len(shown) if meeting else 4)
    for index, (label, value, help_text) in enumerate(shown):
        columns[index % len(columns)].metric(label, value, help=help_text, border=True)


def breakdowns(linked: pl.DataFrame, *, meeting: bool) -> None:
    """Notified amount by beneficiary, contractor and quarter, one tab each."""
    beneficiaries = by_beneficiary(linked).with_columns(
        pl.col("notified_eur") / 1e6, pl.col("buyer_name").fill_null(pl.col("buyer_id"))
    )
    contractors = by_contractor(linked).with_columns(pl.col("notified_eur") / 1e6)
    quarters = by_quarter(linked).with_columns(pl.col("notified_eur") / 1e6)
    count = alt.Tooltip("contracts:Q", title="Marchés")
    with_share = [count, alt.Tooltip("share:Q", title="Part", format=".1%")]
    views = [
        ("Par bénéficiaire", beneficiaries, "buyer_name", "Acheteur", with_share, True, "beneficiaires"),
        ("Par titulaire", contractors, "contractor", "Titulaire (groupement)", with_share, True, "titulaires"),
        ("Par trimestre", quarters, "quarter", "Trimestre de notification", [count], False, "trimestres"),
    ]
    for tab, (title, frame, category, category_title, tooltip, by_value, name) in zip(
        st.tabs([v[0] for v in views]), views, strict=True
    ):
        with tab:
            chart = charts.bar_chart(
                frame,
                category,
                "notified_eur",
                category_title=category_title,
                value_title="Montant notifié (M€)",
                tooltip=tooltip,
                sort_by_value=by_value,
            )
            ui.show_chart(chart, f"marches-{name}", f"contracts_{name}", data=frame)
            if not meeting:
                st.caption(f"{title} : {frame.height} ligne(s) ; montants signalés exclus.")


def pace_block(
    linked: pl.DataFrame,
    framework: Framework,
    previous: Framework | None,
    previous_linked: pl.DataFrame | None,
    source: ContractSource,
    *,
    meeting: bool,
) -> None:
    """Average monthly pace, when the ceilings would be reached, and the previous framework's pace."""
    st.subheader("Rythme de notification")
    now = pace(linked, framework, source.as_of)
    before = pace(previous_linked, previous, source.as_of) if previous and previous_linked is not None else None
    comparable = before is not None and before.monthly_pace_eur is not None and before.notified_eur > 0
    delta = None
    if comparable and now.monthly_pace_eur is not None:
        difference = now.monthly_pace_eur - before.monthly_pace_eur
        delta = f"{format_eur_as_meur(difference, 2)} par rapport à l'accord-cadre précédent"
    st.metric(
        "Rythme moyen mensuel",
        f"{format_eur_as_meur(now.monthly_pace_eur, 2)} / mois",
        delta=delta,
        delta_color="off",
        help=PACE_METHOD_FR,
        border=True,
    )
    st.markdown(f"- {md(now.estimate.message_fr)}\n- {md(now.maximum.message_fr)}")
    if previous is None:
        st.caption("Pas d'accord-cadre précédent dans le registre : aucune comparaison.")
    elif comparable:
        st.caption(
            f"Accord-cadre précédent « {md(previous.title)} » : {format_eur_as_meur(before.monthly_pace_eur, 2)} "
            f"par mois sur {format_number(before.elapsed_months, 1)} mois "
            f"({format_eur_as_meur(before.notified_eur)} notifiés)."
        )
    elif previous.start_date is None:
        st.caption(
            f"Comparaison impossible : la date de début de l'accord-cadre précédent « {md(previous.title)} » "
            "n'est pas publiée."
        )
    else:
        st.caption(
            f"Comparaison impossible : aucun marché de l'accord-cadre précédent « {md(previous.title)} » dans "
            "les données (règle de rattachement actuelle, filtres compris)."
        )
    if not meeting:
        st.caption(md(PACE_METHOD_FR))


def quality(linked: pl.DataFrame, source: ContractSource, *, meeting: bool) -> None:
    """Flagged amounts, invalid SIRET and future dates, in the view and in the whole file."""
    st.subheader("Qualité des données")
    flags = {
        "amount_flag": "Montants signalés (exclus des sommes)",
        "siret_flag": "SIRET invalides",
        "date_flag": "Dates de notification futures",
    }
    columns = st.columns(len(flags))
    for column, (flag, label) in zip(columns, flags.items(), strict=True):
        column.metric(label, format_number(linked.get_column(flag).is_not_null().sum(), 0), border=True)
    report = source.report
    st.caption(
        f"Dans tout le fichier « {md(report.file_name)} » : {report.flagged_amounts} montant(s) signalé(s), "
        f"{report.invalid_siret} SIRET invalide(s) (lignes), {report.future_dates} date(s) future(s), "
        f"{report.contracts_kept} marché(s) au total."
    )
    problems = linked.filter(pl.any_horizontal(pl.col(list(flags)).is_not_null()))
    if not problems.is_empty() and not meeting:
        with st.expander(f"{problems.height} marché(s) signalé(s)"):
            table = problems.select(
                pl.col("contract_uid").alias("Marché"),
                pl.col("buyer_name").alias("Acheteur"),
                pl.col("holder_name").alias("Titulaire"),
                pl.col("notification_date").alias("Notifié le"),
                (pl.col("amount_eur") / 1e6).alias("Montant (M€)"),
                pl.concat_str(pl.col(list(flags)), separator=" ; ", ignore_nulls=True).alias("Problème"),
            )
            ui.show_table(table, "marches-signales", "dl_contracts_flags", money=["Montant (M€)"])


def largest(linked: pl.DataFrame) -> None:
    """The ten largest contracts of the view, with why each is linked."""
    st.subheader("Plus gros marchés")
    table = largest_contracts(linked, 10).select(
        pl.col("notification_date").alias("Notifié le"),
        pl.col("buyer_name").alias("Acheteur"),
        pl.col("holder_name").alias("Titulaire (mandataire)"),
        pl.col("awardee_group").alias("Attributaire"),
        pl.col("object").alias("Objet"),
        (pl.col("amount_eur") / 1e6).alias("Montant (M€)"),
        pl.col("link").alias("Rattachement"),
        pl.col("link_reason_fr").alias("Raison du rattachement"),
    )
    ui.show_table(table, "plus-gros-marches", "dl_contracts_largest", money=["Montant (M€)"])
