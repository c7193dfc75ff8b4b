"""Vue d'ensemble: the official panorama's key figures for the selection, movements, breakdowns, history."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import charts
from analytics.formatting import format_edition_label, format_month
from analytics.panorama.drift import DRIFT_METHOD_FR
from analytics.panorama.movements import compute_movements
from analytics.panorama.portfolio import (
    COMPUTED_SERIES_FR,
    OFFICIAL_SERIES_FR,
    breakdown,
    ministry_phase_counts,
    summarise_portfolio,
    trajectory,
    trajectory_with_official,
)
from analytics.panorama.schema import PHASES
from pages.common import ui
from pages.common.data import panorama
from pages.common.filtering import cost_definition_break, filtered_projects, is_unfiltered
from pages.common.key_figures import key_figures, official_row
from pages.common.sidebar import KEYS
from pages.common.state import current_selection

view = panorama()
selection = current_selection()
vocab = view.vocab
edition = selection.resolved_edition(vocab)
compare = selection.resolved_compare(vocab)

st.title("Vue d'ensemble")
st.caption(
    f"Panorama des grands projets numériques de l'État · édition {format_month(edition)}"
    + (f" · comparée à {format_month(compare)}" if compare else "")
)

selected = filtered_projects(view, selection)
current = selected.filter(pl.col("edition") == edition)
previous = selected.filter(pl.col("edition") == compare) if compare else None
summary = summarise_portfolio(current, selection.drift_threshold)
before = summarise_portfolio(previous, selection.drift_threshold) if previous is not None else None
ui.selection_caption(selection, summary.project_count)


key_figures(
    summary,
    before,
    official=official_row(view.headlines, edition) if is_unfiltered(selection) else None,
    compare=compare,
    meeting=selection.meeting_mode,
)

if summary.project_count == 0:
    ui.empty_notice()
else:
    if compare:
        first, last = sorted((compare, edition))
        st.subheader(f"Mouvements entre {format_month(first)} et {format_month(last)}")
        moves = compute_movements(selected, first, last)
        entrants_col, leavers_col = st.columns(2)
        entrants = moves.entrants.select(
            pl.col("project_name").alias("Projet"),
            pl.col("ministry_label").alias("Ministère"),
            pl.col("cost_meur").alias("Coût (M€)"),
        )
        leavers = moves.leavers.select(
            pl.col("project_name").alias("Projet"),
            pl.col("ministry_label").alias("Ministère"),
            pl.col("last_known_cost_meur").alias("Dernier coût connu (M€)"),
            pl.col("last_known_budget_drift").alias("Dernier écart budgétaire"),
        )
        for column, table, title, name, formats in (
            (entrants_col, entrants, "entrant(s)", "entrants", {"money": ["Coût (M€)"]}),
            (
                leavers_col,
                leavers,
                "sortant(s)",
                "sortants",
                {"money": ["Dernier coût connu (M€)"], "percent": ["Dernier écart budgétaire"]},
            ),
        ):
            with column:
                st.markdown(f"**{table.height} {title}**")
                if table.height:
                    ui.show_table(table, name, f"dl_{name}", drift_threshold=selection.drift_threshold, **formats)

    def _filter_on_ministry_click() -> None:
        points = st.session_state["chart_cost_by_ministry"]["selection"].get("ministere_clic") or []
        clicked = [point["ministry_id"] for point in points if "ministry_id" in point]
        if clicked:
            st.session_state[KEYS["ministries"]] = clicked

    left, right = st.columns(2)
    with left:
        st.subheader("Projets par ministère et phase")
        by_ministry_phase = ministry_phase_counts(current).with_columns(
            pl.col("phase").cast(pl.String).fill_null("Non publiée")
        )
        ui.show_chart(
            charts.stacked_bar_chart(
                by_ministry_phase,
                "ministry_label",
                "phase",
                "projects",
                category_title="Ministère",
                stack_title="Phase",
                value_title="Nombre de projets",
                stack_order=[*PHASES, "Non publiée"],
            ),
            "projets-ministere-phase",
            "chart_ministry_phase",
            data=by_ministry_phase,
        )
    with right:
        st.subheader("Coût par ministère")
        by_ministry = breakdown(current, "ministry")
        ui.show_chart(
            charts.bar_chart(
                by_ministry,
                "ministry_label",
                "cost_meur",
                category_title="Ministère",
                value_title="Coût estimé (M€)",
                tooltip=[charts.alt.Tooltip("projects:Q", title="Projets")],
                selection_name="ministere_clic",
                selection_field="ministry_id",
            ),
            "cout-par-ministere",
            "chart_cost_by_ministry",
            data=by_ministry,
            on_select=_filter_on_ministry_click,
        )
        if not selection.meeting_mode:
            st.caption("Cliquez sur un ministère pour filtrer toute l'application sur lui.")

    left, right = st.columns(2)
    with left:
        st.subheader("Projets par tranche de coût")
        by_bracket = breakdown(current, "cost_bracket").with_columns(
            pl.col("cost_bracket").cast(pl.String).fill_null("Coût non publié")
        )
        ui.show_chart(
            charts.bar_chart(
                by_bracket,
                "cost_bracket",
                "projects",
                category_title="Tranche de coût",
                value_title="Nombre de projets",
                value_format=charts.COUNT_FORMAT,
                sort_by_value=False,
                tooltip=[charts.alt.Tooltip("cost_meur:Q", title="Coût (M€)", format=charts.MEUR_FORMAT)],
            ),
            "projets-par-tranche",
            "chart_brackets",
            data=by_bracket,
        )
    with right:
        st.subheader("Projets par zone fonctionnelle")
        by_zone = breakdown(current, "functional_zone").with_columns(
            pl.col("functional_zone").fill_null("Non renseignée")
        )
        ui.show_chart(
            charts.bar_chart(
                by_zone,
                "functional_zone",
                "projects",
                category_title="Zone fonctionnelle",
                value_title="Nombre de projets",
                value_format=charts.COUNT_FORMAT,
                tooltip=[charts.alt.Tooltip("cost_meur:Q", title="Coût (M€)", format=charts.MEUR_FORMAT)],
            ),
            "projets-par-zone",
            "chart_zones",
            data=by_zone,
        )

st.subheader("Trajectoire du portefeuille, toutes éditions")
history = trajectory(selected, vocab.editions)
official_shown = is_unfiltered(selection)
long = trajectory_with_official(history, view.headlines if official_shown else view.headlines.clear())
break_date, break_label = cost_definition_break(view.projects)
metric_choice = st.segmented_control(
    "Indicateur",
    ["total_cost_meur", "projects", "avg_budget_drift", "avg_schedule_drift"],
    format_func={
        "total_cost_meur": "Coût total",
        "projects": "Nombre de projets",
        "avg_budget_drift": "Écart budgétaire moyen",
        "avg_schedule_drift": "Écart calendaire moyen",
    }.get,
    default="total_cost_meur",
    key="overview_metric",
)
metric = metric_choice or "total_cost_meur"
is_pct = metric.startswith("avg_") and metric.endswith("drift")
series_frame = long.filter(pl.col("metric") == metric)
if series_frame.is_empty():
    ui.empty_notice("Aucune valeur à tracer pour cet indicateur et cette sélection.")
else:
    ui.show_chart(
        charts.line_chart(
            series_frame,
            "edition",
            "value",
            x_title="Édition",
            y_title=series_frame.item(0, "metric_label"),
            series="series",
            series_title="Série",
            y_format=charts.PCT_FORMAT
            if is_pct
            else (charts.COUNT_FORMAT if metric == "projects" else charts.MEUR_FORMAT),
            dashed_series=OFFICIAL_SERIES_FR,
            break_date=break_date,
            break_label=break_label,
        ),
        "trajectoire",
        "chart_trajectory",
        data=series_frame,
    )
if not selection.meeting_mode:
    st.caption(
        f"« {COMPUTED_SERIES_FR} » : calculé sur les tableaux publiés. "
        f"« {OFFICIAL_SERIES_FR} » : chiffres des éditions, affichés seulement sans filtre "
        "(ils portent sur tout le panorama). "
        + ("" if official_shown else "Filtres actifs : série officielle masquée. ")
        + DRIFT_METHOD_FR
    )
    st.caption(f"Éditions chargées : {', '.join(format_edition_label(e) for e in vocab.editions)}.")
