"""Widgets and result blocks of the Simulations page: parameters seeded from the URL and read back as validated
models, metrics that set each scenario against its reference, and the tables behind them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

import polars as pl
import streamlit as st
from pydantic import BaseModel, ValidationError

from analytics.decp.frameworks import Framework
from analytics.decp.spend import pace
from analytics.formatting import format_eur_as_meur, format_meur, format_number, format_pct
from analytics.simulations import (
    THRESHOLD_PRESETS_MEUR,
    CeilingProjection,
    DriftAlertParams,
    DriftAlertResult,
    DriftCapParams,
    FrameworkCeilingParams,
    FrameworkCeilingResult,
    ScenarioParams,
    ThresholdParams,
    from_query,
    to_query,
)
from analytics.simulations.charts import alert_levels_frame
from analytics.simulations.drift_alerts import MAX_LEVEL
from analytics.simulations.framework_ceiling import MAX_AMOUNT_EUR
from analytics.simulations.labels import FRACTION_COLUMNS_FR
from analytics.simulations.threshold import MAX_AMOUNT_MEUR
from pages.common import state, ui

Model = TypeVar("Model", bound=BaseModel)
SCENARIO_PARAM = "scenario"
SECTION_KEY = "sim_section"
SECTIONS: dict[str, str] = {
    "seuil": "Seuil de revue",
    "alertes": "Alertes et plafond de dérive",
    "accord": "Plafond de l'accord-cadre",
}
KEYS = {
    "threshold": "sim_threshold",
    "preset": "sim_threshold_preset",
    "margin": "sim_margin",
    "budget": "sim_budget_levels",
    "schedule": "sim_schedule_levels",
    "cap": "sim_cap",
    "framework": "sim_framework",
    "pace": "sim_pace",
}
SEEDED_KEY = "simulations_seeded"
LEVEL_FIELDS = {"budget": "alertes_budget", "schedule": "alertes_calendrier"}


def signed(difference: float, fmt: Callable[[float], str]) -> str:
    return ("+" if difference > 0 else "") + fmt(difference)


def count_text(value: float) -> str:
    return format_number(value, 0)


def show_notices(notices: Sequence[str]) -> None:
    """Each distinct notice of the results once, as information (they explain, they do not warn)."""
    for notice in dict.fromkeys(notices):
        st.info(notice, icon=":material/info:")


def levels_text(levels: Sequence[float]) -> str:
    """Levels as typed in the field and written in the URL: '10,12.5,30' (percent, up to four decimals)."""
    return ",".join(f"{level * 100:.4f}".rstrip("0").rstrip(".") for level in levels)


def seed_from_url(simulable: Sequence[str]) -> list[str]:
    """Give each scenario widget its URL value (or default) unless the session holds one; return the French
    notices about ignored or clamped values, only on the run that first parsed this session's URL."""
    snapshot = state.url_snapshot()
    params, notices = from_query(snapshot)
    section = (snapshot.get(SCENARIO_PARAM) or ["seuil"])[-1]
    if section not in SECTIONS:
        notices.append(
            f"Paramètre « {SCENARIO_PARAM} » : valeur « {section[:40]} » inconnue, ignorée "
            f"(valeurs possibles : {', '.join(SECTIONS)})."
        )
        section = "seuil"
    framework_id = params.framework_id
    if framework_id is not None and framework_id not in simulable:
        notices.append(
            f"Paramètre « accord » : accord-cadre « {framework_id} » absent du registre ou sans montant estimé "
            "publié, donc non simulable ; ignoré."
        )
        framework_id = None
    state.seed(SECTION_KEY, SECTIONS[section])
    state.seed(KEYS["threshold"], params.threshold.threshold_meur)
    state.seed(KEYS["margin"], params.threshold.margin_meur)
    state.seed(KEYS["budget"], levels_text(params.alerts.budget_levels))
    state.seed(KEYS["schedule"], levels_text(params.alerts.schedule_levels))
    state.seed(KEYS["cap"], round(params.cap.cap * 100, 4))
    state.seed(KEYS["framework"], framework_id or (simulable[0] if simulable else None))
    state.seed(KEYS["pace"], params.user_pace_eur_per_month)
    first_run = not st.session_state.get(SEEDED_KEY, False)
    st.session_state[SEEDED_KEY] = True
    return notices if first_run else []


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
    preset = st.session_state.get(KEYS["preset"])
    if preset is not None:
        st.session_state[KEYS["threshold"]] = preset


def threshold_inputs() -> ThresholdParams | None:
    current = st.session_state.get(KEYS["threshold"])
    st.session_state[KEYS["preset"]] = current if current in THRESHOLD_PRESETS_MEUR else None
    st.pills(
        "Seuils de référence",
        list(THRESHOLD_PRESETS_MEUR),
        key=KEYS["preset"],
        format_func=lambda value: f"{value:g} M€",
        on_change=_apply_preset,
        help=" · ".join(THRESHOLD_PRESETS_MEUR.values()),
    )
    left, right = st.columns(2)
    threshold = left.number_input(
        "Seuil de revue simulé (M€)",
        min_value=0.0,
        max_value=MAX_AMOUNT_MEUR,
        step=1.0,
        key=KEYS["threshold"],
        help="Un projet entre dans le périmètre de revue lorsque son coût est supérieur ou égal au seuil.",
    )
    margin = right.number_input(
        "Marge de veille au fractionnement (M€)",
        min_value=0.0,
        max_value=MAX_AMOUNT_MEUR,
        step=0.5,
        key=KEYS["margin"],
        help="Projets juste sous le seuil : seuil − marge ≤ coût < seuil.",
    )
    return _validated(lambda: ThresholdParams(threshold_meur=threshold, margin_meur=margin))


def _levels_input(kind: str, label: str, column) -> tuple[float, ...] | None:
    """Levels typed as '10,20,30' (percent); the French notices of the URL parser, worded for the field."""
    text = column.text_input(
        label,
        key=KEYS[kind],
        max_chars=200,
        help="Pourcentages séparés par des virgules, décimales avec un point (par exemple 10,12.5,30) ; "
        "au plus 10 niveaux.",
    )
    field = LEVEL_FIELDS[kind]
    parsed, notices = from_query({field: [text]})
    for notice in notices:
        column.warning(notice.replace(f"Paramètre « {field} »", f"« {label} »"), icon=":material/edit_note:")
    if not text.strip():
        column.warning(f"« {label} » : aucun niveau saisi, niveaux par défaut.", icon=":material/edit_note:")
    alerts = parsed.alerts
    return alerts.budget_levels if kind == "budget" else alerts.schedule_levels


def alert_inputs() -> tuple[DriftAlertParams, DriftCapParams | None]:
    budget_col, schedule_col, cap_col = st.columns(3)
    budget = _levels_input("budget", "Niveaux d'alerte budgétaire (%)", budget_col)
    schedule = _levels_input("schedule", "Niveaux d'alerte calendaire (%)", schedule_col)
    cap_pct = cap_col.number_input(
        "Plafond de dérive budgétaire (%)",
        min_value=0.0,
        max_value=MAX_LEVEL * 100,
        step=5.0,
        key=KEYS["cap"],
        help="Coût plafonné à coût initial × (1 + plafond).",
    )
    alerts = DriftAlertParams(budget_levels=budget, schedule_levels=schedule)
    with cap_col:
        cap = _validated(lambda: DriftCapParams(cap=round(cap_pct / 100, 6)))
    return alerts, cap


def framework_inputs(simulable: Sequence[Framework]) -> tuple[Framework, float | None] | None:
    """The framework to project and the user pace (None: the observed pace is used)."""
    by_id = {framework.id: framework for framework in simulable}
    left, right = st.columns(2)
    chosen = left.selectbox(
        "Accord-cadre",
        list(by_id),
        key=KEYS["framework"],
        format_func=lambda framework_id: by_id[framework_id].title,
    )
    user_pace = right.number_input(
        "Rythme simulé (€ par mois, facultatif)",
        value=None,
        min_value=0.0,
        max_value=MAX_AMOUNT_EUR,
        step=100_000.0,
        key=KEYS["pace"],
        placeholder="vide : rythme observé",
        help="Montant notifié par mois à partir de la date d'arrêt ; laissez vide pour le rythme observé.",
    )
    return (by_id[chosen], user_pace) if chosen is not None else None


def ceiling_params(
    framework: Framework, linked: pl.DataFrame, as_of: date, user_pace: float | None
) -> FrameworkCeilingParams | None:
    """The ceiling scenario of a framework from its linked contracts, observed pace included."""
    observed = pace(linked, framework, as_of)
    return _validated(
        lambda: FrameworkCeilingParams(
            framework_id=framework.id,
            start_date=framework.start_date,
            end_date=framework.end_date,
            estimated_eur=framework.estimated_amount_eur,
            maximum_eur=framework.maximum_amount_eur,
            consumed_eur=observed.notified_eur,
            as_of=as_of,
            observed_pace_eur_per_month=observed.monthly_pace_eur or 0.0,
            user_pace_eur_per_month=user_pace,
        )
    )


def page_query(
    section: str,
    threshold: ThresholdParams | None,
    alerts: DriftAlertParams,
    cap: DriftCapParams | None,
    framework_id: str | None,
    default_framework_id: str | None,
    user_pace: float | None,
) -> dict[str, list[str]]:
    """The non-default scenario parameters for the URL; a refused value is left out (its default applies)."""
    params = ScenarioParams(
        threshold=threshold or ThresholdParams(),
        alerts=alerts,
        cap=cap or DriftCapParams(),
        user_pace_eur_per_month=user_pace,
        framework_id=None if framework_id == default_framework_id else framework_id,
    )
    code = next(code for code, label in SECTIONS.items() if label == section)
    return {**to_query(params), **({SCENARIO_PARAM: [code]} if code != "seuil" else {})}


def result_tables(tables: dict[str, pl.DataFrame], key: str) -> None:
    """The tables behind a result, one shown at a time, downloadable as displayed (not in meeting mode).

    Display formats follow the French headers: « (M€) » in M€, « (€) » and counts as integers, the columns of
    `FRACTION_COLUMNS_FR` as signed percentages; the downloads keep the raw numbers.
    """
    if ui.meeting_mode():
        return
    titles = list(tables)
    title = st.selectbox("Tableau détaillé", titles, key=f"{key}_choice") or titles[0]
    table = tables[title]
    if table.is_empty():
        ui.empty_notice(f"« {title} » : aucune ligne pour ce scénario.")
        return
    columns = table.columns
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")
    ui.show_table(
        table,
        f"simulation-{key}-{slug}",
        f"dl_{key}",
        money=[c for c in columns if c.endswith("(M€)")],
        percent=[c for c in columns if c in FRACTION_COLUMNS_FR],
        integers=[c for c in columns if c.endswith("(€)") or c.startswith("Projets")],
        height=min(420, 38 + 35 * table.height),
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
