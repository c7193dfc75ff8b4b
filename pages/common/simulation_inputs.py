"""Widgets and result blocks of the Simulations page: fields bound to the page's parameters (read the French way,
validated by the scenario models), metrics that set each scenario against its reference, and the tables behind
them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

import polars as pl
import streamlit as st
from pydantic import BaseModel, ValidationError

from analytics.decp.frameworks import Framework
from analytics.decp.lot_spend import LotSpend
from analytics.display import Kind, TableSpec, spec_from_formats
from analytics.exports import ExportContext
from analytics.formatting import format_eur_as_meur, format_meur, format_number, format_pct
from analytics.params.pages import PageId, SimulationsParams
from analytics.simulations import (
    THRESHOLD_PRESETS_MEUR,
    CeilingProjection,
    DriftAlertParams,
    DriftAlertResult,
    DriftCapParams,
    FrameworkCeilingParams,
    FrameworkCeilingResult,
    ThresholdParams,
)
from analytics.simulations.charts import alert_levels_frame
from analytics.simulations.drift_alerts import MAX_LEVEL
from analytics.simulations.framework_ceiling import MAX_AMOUNT_EUR, ceiling_scenario
from analytics.simulations.labels import FRACTION_COLUMNS_FR, FRENCH_COLUMNS
from analytics.simulations.threshold import MAX_AMOUNT_MEUR
from pages.common import state, ui, widgets

Model = TypeVar("Model", bound=BaseModel)
PAGE = PageId.SIMULATIONS
PRESET_KEY = "sim_threshold_preset"
INTERNAL_PREFIX_FR = "Identifiant"
LEVEL_FR = FRENCH_COLUMNS["level"]
MONTH_FR = FRENCH_COLUMNS["month"]


def signed(difference: float, fmt: Callable[[float], str]) -> str:
    return ("+" if difference > 0 else "") + fmt(difference)


def count_text(value: float) -> str:
    return format_number(value, 0)


def show_notices(notices: Sequence[str]) -> None:
    """Each distinct notice of the results once, as information (they explain, they do not warn)."""
    for notice in dict.fromkeys(notices):
        st.info(notice, icon=":material/info:")


def validation_messages(error: ValidationError) -> list[str]:
    """The French messages our validators raised, without pydantic's English prefix."""
    return [
        str(detail["ctx"]["error"]) if "error" in detail.get("ctx", {}) else detail["msg"] for detail in error.errors()
    ]


def _validated(build: Callable[[], Model]) -> Model | None:
    """The model, or None after showing each French reason it was refused."""
    try:
        return build()
    except ValidationError as error:
        for message in validation_messages(error):
            st.error(message, icon=":material/error:")
        return None


def _apply_preset() -> None:
    preset = st.session_state.get(PRESET_KEY)
    if preset is not None:
        state.update(PAGE, threshold_meur=float(preset))


def threshold_inputs(params: SimulationsParams) -> ThresholdParams | None:
    st.session_state[PRESET_KEY] = params.threshold_meur if params.threshold_meur in THRESHOLD_PRESETS_MEUR else None
    st.pills(
        "Seuils de référence",
        list(THRESHOLD_PRESETS_MEUR),
        key=PRESET_KEY,
        format_func=lambda value: f"{format_number(value, 0)}\u00a0M€",
        on_change=_apply_preset,
        help=" · ".join(THRESHOLD_PRESETS_MEUR.values()),
    )
    left, right = st.columns(2)
    widgets.number(
        PAGE,
        "threshold_meur",
        "Seuil de revue simulé (M€)",
        unit="M€",
        lower=0.0,
        upper=MAX_AMOUNT_MEUR,
        lower_open=True,
        container=left,
        help="Un projet entre dans le périmètre de revue lorsque son coût est supérieur ou égal au seuil. "
        "Décimales avec une virgule : 12,5.",
    )
    widgets.number(
        PAGE,
        "margin_meur",
        "Marge de veille au fractionnement (M€)",
        unit="M€",
        lower=0.0,
        upper=MAX_AMOUNT_MEUR,
        container=right,
        help="Projets juste sous le seuil : seuil − marge ≤ coût < seuil.",
    )
    return _validated(params.threshold)


def alert_inputs(params: SimulationsParams) -> tuple[DriftAlertParams, DriftCapParams | None]:
    budget_col, schedule_col, cap_col = st.columns(3)
    levels_help = "Pourcentages séparés par « ; », décimales avec une virgule (10 ; 12,5 ; 30) ; au plus 10 niveaux."
    widgets.levels(PAGE, "budget_levels", "Niveaux d'alerte budgétaire (%)", container=budget_col, help=levels_help)
    widgets.levels(PAGE, "schedule_levels", "Niveaux d'alerte calendaire (%)", container=schedule_col, help=levels_help)
    widgets.number(
        PAGE,
        "cap",
        "Plafond de dérive budgétaire (%)",
        unit="%",
        lower=0.0,
        upper=MAX_LEVEL * 100,
        decimals=4,
        scale=0.01,
        container=cap_col,
        help="Coût plafonné à coût initial × (1 + plafond).",
    )
    with cap_col:
        cap = _validated(params.drift_cap)
    return params.alerts(), cap


def framework_inputs(params: SimulationsParams, simulable: Sequence[Framework]) -> Framework:
    """The framework to project; the user pace (None: the observed pace) is a parameter too."""
    by_id = {framework.id: framework for framework in simulable}
    default_id = simulable[0].id
    left, right = st.columns(2)
    widgets.selectbox(
        PAGE,
        "framework_id",
        "Accord-cadre",
        list(by_id),
        to_widget=lambda i: i or default_id,
        from_widget=lambda i: None if i == default_id else i,
        format_func=lambda framework_id: by_id[framework_id].title,
        container=left,
    )
    widgets.number(
        PAGE,
        "pace_eur_per_month",
        "Rythme simulé (€ par mois, facultatif)",
        unit="€",
        lower=0.0,
        upper=MAX_AMOUNT_EUR,
        decimals=0,
        optional=True,
        container=right,
        placeholder="vide : rythme observé",
        help="Montant engagé par mois à partir de la date d'arrêt, par exemple 3 000 000 ; laissez vide pour le "
        "rythme observé.",
    )
    return by_id.get(params.framework_id or default_id, simulable[0])


def ceiling_params(
    framework: Framework, spend: LotSpend, as_of: date, user_pace: float | None
) -> FrameworkCeilingParams | None:
    """The ceiling scenario of a framework (all lots) from its committed amount and observed pace."""
    if spend.pace is None or spend.committed_eur is None:
        show_notices([f"Engagement de l'accord-cadre inconnu : {' '.join(spend.notes_fr)}"])
        return None
    return _validated(
        lambda: ceiling_scenario(framework, spend.committed_eur, spend.pace.monthly_pace_eur or 0.0, as_of, user_pace)
    )


def detail_spec(table: pl.DataFrame) -> TableSpec:
    """Display model of a scenario table, from its French headers: « (M€) » in M€, « (€) » and counts as integers,
    the fractions of `FRACTION_COLUMNS_FR` as percentages (signed drifts, unsigned levels), « Mois » as a month."""
    columns = table.columns
    spec = spec_from_formats(
        table.schema,
        money=[c for c in columns if c.endswith("(M€)")],
        percent=[c for c in columns if c in FRACTION_COLUMNS_FR],
        integers=[c for c in columns if c.endswith("(€)") or c.startswith("Projets")],
        months=[c for c in columns if c == MONTH_FR],
    )
    return TableSpec(
        columns=tuple(c.model_copy(update={"kind": Kind.PERCENT}) if c.header == LEVEL_FR else c for c in spec.columns)
    )


def result_tables(tables: dict[str, pl.DataFrame], key: str, details: bool, context: ExportContext) -> None:
    """The tables behind a result, one shown at a time, downloadable as displayed (not in meeting mode).

    Internal identifiers (« Identifiant du projet »…) are left out: names say the same to a reader. `context`
    (its title: the scenario) names the downloads, with the table's title after it.
    """
    if not details:
        return
    titles = list(tables)
    title = st.selectbox("Tableau détaillé", titles, key=f"{key}_choice") or titles[0]
    table = tables[title]
    if table.is_empty():
        ui.empty_notice(f"« {title} » : aucune ligne pour ce scénario.")
        return
    shown = table.select(c for c in table.columns if not c.startswith(INTERNAL_PREFIX_FR))
    ui.show_spec_table(
        shown,
        detail_spec(shown),
        context=context.model_copy(update={"title": f"{context.title} : {title.lower()}"}),
        download_key=f"dl_{key}",
        height=min(420, 38 + 35 * shown.height),
    )


def alert_metrics(result: DriftAlertResult, reference: DriftAlertResult | None, dimension: str) -> None:
    """One metric per level of a dimension; the app's own alert threshold first, as the reference."""
    levels = alert_levels_frame(result.levels).filter(pl.col("dimension") == dimension)
    columns = st.columns(min(6, levels.height + (reference is not None)))
    cells: list[tuple[str, int, str | None, float]] = []
    base = None
    if reference is not None:
        row = alert_levels_frame(reference.levels).filter(pl.col("dimension") == dimension).row(0, named=True)
        base = row["projects"]
        cells.append((f"{dimension} {row['level_label']} (seuil de l'application)", base, None, row["drift_meur"]))
    for row in levels.iter_rows(named=True):
        delta = None if base is None else signed(row["projects"] - base, count_text)
        cells.append((f"{dimension} {row['level_label']}", row["projects"], delta, row["drift_meur"]))
    for index, (label, count, delta, drift_meur) in enumerate(cells):
        columns[index % len(columns)].metric(
            label,
            count_text(count),
            delta=delta,
            delta_color="off",
            help=f"Projets signalés ; dérive budgétaire en jeu : {format_meur(drift_meur)}.",
            border=True,
        )


def _reached(projection: CeilingProjection) -> tuple[str, str | None, str]:
    """Date (or why none), whether it falls within the term, and the figures behind it."""
    share, amount = format_pct(projection.consumed_share), format_eur_as_meur(projection.amount_eur)
    facts = f"Consommé à la date d'arrêt : {share} de {amount}."
    if projection.required_pace_eur_per_month is not None:
        facts += (
            f" Rythme qui l'atteindrait exactement à la fin : "
            f"{format_eur_as_meur(projection.required_pace_eur_per_month, 2)} par mois."
        )
    if projection.reached_on is None:
        value = "déjà atteint" if projection.already_reached else "jamais"
        return value, None, f"{projection.reached_on_reason or ''} {facts}".strip()
    within = "avant la fin du terme" if projection.reached_before_end else "après la fin du terme"
    return f"{projection.reached_on:%d/%m/%Y}", within, facts


def ceiling_metrics(column, result: FrameworkCeilingResult, suffix: str) -> None:
    """The pace, when each amount is reached and what is projected at the end, for one pace."""
    column.metric(
        f"Rythme mensuel ({suffix})", f"{format_eur_as_meur(result.pace_eur_per_month, 2)} / mois", border=True
    )
    for label, projection in (("Montant estimé", result.estimate), ("Montant maximum", result.maximum)):
        if projection is None:
            column.metric(f"{label} atteint le ({suffix})", "non publié", border=True)
            continue
        value, within, facts = _reached(projection)
        column.metric(f"{label} atteint le ({suffix})", value, delta=within, delta_color="off", help=facts, border=True)
    column.metric(
        f"Projeté à la fin du terme ({suffix})",
        format_eur_as_meur(result.projected_at_end_eur),
        help=f"Fin de l'accord-cadre : {result.params.end_date:%d/%m/%Y}.",
        border=True,
    )
