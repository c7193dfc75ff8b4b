"""Briefing sections of the panorama pages (Vue d'ensemble, Projets, Dérives, Données et méthode).

Each builder takes the loaded panorama and the user's selection, and shows what its page answers, with
the page's own analytics functions: nothing is computed here that the pages compute otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import polars as pl

from analytics import charts
from analytics.briefing.model import PAGE_TITLES, Chart, DataSource, Heading, KeyFigures, Note, Section
from analytics.briefing.tables import frame_table
from analytics.briefing.words import PANORAMA_SOURCE_FR, panorama_source
from analytics.engine import IN_MEMORY
from analytics.formatting import format_meur, format_month, format_number, format_pct, format_years
from analytics.key_figures import KeyFigure
from analytics.panorama.drift import DRIFT_METHOD_FR, exceeds_threshold
from analytics.panorama.editions import official_figures
from analytics.panorama.key_figures import overview_key_figures
from analytics.panorama.movements import compute_movements, exit_watch
from analytics.panorama.portfolio import (
    average_drift_history,
    drift_by_ministry,
    largest_drifts,
    summarise_portfolio,
)
from analytics.panorama.quality import edition_inventory
from analytics.params.vocabulary import Vocabulary
from analytics.selection import Selection, apply_selection

OVERVIEW_TOP_N = 5
OVERVIEW_MINISTRIES = 8
DRIFT_TOP_N = 15
EMPTY_SELECTION_FR = "Aucun projet ne correspond aux filtres choisis dans cette édition."
OFFICIAL_SOURCE_FR = "Chiffres officiels par édition (tableau de bord DINUM, numerique.gouv.fr, presse)"


class PanoramaData(Protocol):
    """What the briefing reads of the loaded panorama (`pages.common.data.PanoramaView` fits)."""

    @property
    def projects(self) -> pl.DataFrame: ...  # every edition, with the drift columns

    @property
    def headlines(self) -> pl.DataFrame: ...

    @property
    def vocab(self) -> Vocabulary: ...


@dataclass(frozen=True)
class PanoramaScope:
    """The selection resolved once for every section: editions, selected projects, the source stamp."""

    selection: Selection
    vocab: Vocabulary
    headlines: pl.DataFrame
    all_projects: pl.DataFrame
    edition: date | None
    compare: date | None
    selected: pl.DataFrame  # every edition of the selected projects
    current: pl.DataFrame  # the selected projects in the edition shown
    source: DataSource
    project: str | None = None  # the project whose sheet is open on the Projets page

    @property
    def threshold(self) -> float:
        return self.selection.drift_threshold

    def in_edition(self, edition: date | None) -> pl.DataFrame:
        return self.selected.filter(pl.col("edition") == edition)


def panorama_scope(view: PanoramaData, selection: Selection, project: str | None = None) -> PanoramaScope:
    """Drift was computed on full histories before filtering (as the pages do)."""
    edition = selection.resolved_edition(view.vocab)
    selected = apply_selection(view.projects.lazy(), selection).collect(engine=IN_MEMORY)
    return PanoramaScope(
        selection=selection,
        vocab=view.vocab,
        headlines=view.headlines,
        all_projects=view.projects,
        edition=edition,
        compare=selection.resolved_compare(view.vocab),
        selected=selected,
        current=selected.filter(pl.col("edition") == edition),
        source=panorama_source(view.headlines, edition),
        project=project if project in view.vocab.projects else None,
    )


def _subtitle(scope: PanoramaScope, count: int) -> str:
    return f"Édition {format_month(scope.edition)} · {format_number(count, 0)} projet(s) dans la sélection"


def _drift_bar(frame: pl.DataFrame, value: str, title: str, value_format: str) -> dict:
    return charts.bar_chart(
        frame.select("project_name", value, "ministry_label"),
        "project_name",
        value,
        category_title="Projet",
        value_title=title,
        value_format=value_format,
        color=charts.RED_MARIANNE,
    ).to_dict(validate=False)


# ---- Vue d'ensemble -----------------------------------------------------------------------------------


def _leavers_in_drift(scope: PanoramaScope) -> list[Heading | Note]:
    """Projects that left between the two editions while their last known drift was over the threshold."""
    first, last = sorted((scope.compare, scope.edition))
    moves = compute_movements(scope.selected, first, last)
    over = exceeds_threshold(pl.col("last_known_budget_drift"), scope.threshold) | exceeds_threshold(
        pl.col("last_known_schedule_drift"), scope.threshold
    )
    drifting = moves.leavers.filter(over.fill_null(False))
    period = f"entre {format_month(first)} et {format_month(last)}"
    counts = Note(
        text=f"Mouvements {period} : {moves.entrants.height} projet(s) entrant(s), "
        f"{moves.leavers.height} sortant(s), dont {drifting.height} en dérive au-delà de "
        f"{format_pct(scope.threshold, 0)}."
    )
    if drifting.is_empty():
        return [counts]
    table = frame_table(
        drifting.select(
            pl.col("project_name").alias("Projet"),
            pl.col("ministry_label").alias("Ministère"),
            pl.col("last_known_cost_meur").alias("Dernier coût connu"),
            pl.col("last_known_budget_drift").alias("Dernier écart budgétaire"),
            pl.col("last_known_schedule_drift").alias("Dernier écart calendaire"),
        ),
        f"Projets sortis en dérive {period}",
        {"Dernier coût connu": "money", "Dernier écart budgétaire": "percent", "Dernier écart calendaire": "percent"},
        alert_threshold=scope.threshold,
    )
    return [counts, table]


def overview_section(scope: PanoramaScope) -> Section:
    """Key figures, the five largest drifts, the ministries carrying the most drift, the leavers in drift."""
    summary = summarise_portfolio(scope.current, scope.threshold)
    before = summarise_portfolio(scope.in_edition(scope.compare), scope.threshold) if scope.compare else None
    official = official_figures(scope.headlines, scope.edition) if scope.selection.is_unfiltered else None
    caption = (
        "Écarts calculés : dérive depuis la 1re publication de chaque projet (et non depuis l'estimation "
        "initiale, jamais publiée par projet) ; ils diffèrent donc des moyennes officielles."
        + (f" Variations par rapport à {format_month(scope.compare)}." if scope.compare else "")
    )
    blocks: list = [KeyFigures(figures=tuple(overview_key_figures(summary, before, official)), caption=caption)]
    sources = (scope.source,)
    if official is not None:
        sources += (DataSource(label=OFFICIAL_SOURCE_FR, date=f"édition {format_month(scope.edition)}"),)
    if summary.project_count == 0:
        blocks.append(Note(text=EMPTY_SELECTION_FR, tone="warning"))
    else:
        top = largest_drifts(scope.current, "budget_drift_meur", OVERVIEW_TOP_N)
        if not top.is_empty():
            blocks.append(
                Chart(
                    title=f"Les {top.height} plus fortes dérives budgétaires (M€)",
                    spec=_drift_bar(top, "budget_drift_meur", "Dérive budgétaire (M€)", charts.MEUR_FORMAT),
                    caption="Coût de l'édition moins le premier coût publié par le projet.",
                )
            )
        blocks.extend(_ministries_carrying_drift(scope.current))
        if scope.compare:
            blocks.extend(_leavers_in_drift(scope))
    return Section(
        page="vue-ensemble",
        title=PAGE_TITLES["vue-ensemble"],
        subtitle=_subtitle(scope, summary.project_count),
        sources=sources,
        blocks=tuple(blocks),
    )


def _ministries_carrying_drift(current: pl.DataFrame) -> list[Chart]:
    carrying = (
        drift_by_ministry(current)
        .filter(pl.col("budget_drift_meur") > 0)
        .sort(["budget_drift_meur", "ministry_label"], descending=[True, False])
        .head(OVERVIEW_MINISTRIES)
    )
    if carrying.is_empty():
        return []
    spec = charts.bar_chart(
        carrying,
        "ministry_label",
        "budget_drift_meur",
        category_title="Ministère",
        value_title="Dérive budgétaire cumulée (M€)",
        color=charts.RED_MARIANNE,
    ).to_dict(validate=False)
    return [
        Chart(
            title="Ministères portant le plus de dérive (M€)",
            spec=spec,
            caption="Somme des dérives en M€ des projets du ministère dont la dérive est connue ; "
            "ministères à dérive cumulée positive seulement.",
        )
    ]


# ---- Projets ------------------------------------------------------------------------------------------

PROJECT_COLUMNS = {
    "project_name": "Projet",
    "ministry_label": "Ministère",
    "phase": "Phase",
    "cost_meur": "Coût",
    "budget_drift": "Écart budgétaire",
    "schedule_drift": "Écart calendaire",
    "duration_years": "Durée (ans)",
    "start_date": "Début",
}
PROJECT_FORMATS = {
    "Coût": "money",
    "Écart budgétaire": "percent",
    "Écart calendaire": "percent",
    "Durée (ans)": "years",
    "Début": "month",
}


def _project_sheet(scope: PanoramaScope, project_id: str) -> list:
    history = scope.all_projects.filter(pl.col("project_id") == project_id).sort("edition")
    if history.is_empty():
        return []
    latest = history.row(history.height - 1, named=True)
    facts = (
        f"Ministère : {latest['ministry_label']} · phase : {latest['phase'] or 'non publiée'} · "
        f"coût : {format_meur(latest['cost_meur'])} (écart {format_pct(latest['budget_drift'], signed=True)}) · "
        f"durée : {format_years(latest['duration_years'])} (écart {format_pct(latest['schedule_drift'], signed=True)})"
        f" · dernière édition : {format_month(latest['edition'])}."
    )
    table = frame_table(
        history.select(
            pl.col("edition").alias("Édition"),
            pl.col("project_name").alias("Nom publié"),
            pl.col("phase").cast(pl.String).alias("Phase"),
            pl.col("cost_meur").alias("Coût"),
            pl.col("budget_drift").alias("Écart budgétaire"),
            pl.col("duration_years").alias("Durée (ans)"),
            pl.col("schedule_drift").alias("Écart calendaire"),
        ),
        "Trajectoire du projet, édition par édition",
        {"Édition": "month", **{k: v for k, v in PROJECT_FORMATS.items() if k not in ("Début",)}},
        alert_threshold=scope.threshold,
    )
    return [Heading(text=f"Fiche projet : {latest['project_name']}"), Note(text=facts), table]


def projects_section(scope: PanoramaScope) -> Section:
    """The edition's projects of the selection, largest cost first; the open project's sheet after it."""
    in_edition = scope.current.sort(["cost_meur", "project_name"], descending=[True, False], nulls_last=True)
    blocks: list = []
    if in_edition.is_empty():
        blocks.append(Note(text=EMPTY_SELECTION_FR, tone="warning"))
    else:
        shown = in_edition.select(
            pl.col(list(PROJECT_COLUMNS)).exclude("phase"), pl.col("phase").cast(pl.String).fill_null("Non publiée")
        ).select(pl.col(source).alias(label) for source, label in PROJECT_COLUMNS.items())
        blocks.append(
            frame_table(
                shown,
                f"Projets de l'édition {format_month(scope.edition)}",
                PROJECT_FORMATS,
                alert_threshold=scope.threshold,
                caption="Écarts depuis la 1re publication ; en rouge : au-delà du seuil d'alerte. "
                "« – » : chiffre non publié.",
            )
        )
    if scope.project:
        blocks.extend(_project_sheet(scope, scope.project))
    return Section(
        page="projets",
        title=PAGE_TITLES["projets"],
        subtitle=_subtitle(scope, in_edition.height),
        sources=(scope.source,),
        blocks=tuple(blocks),
    )


# ---- Dérives ------------------------------------------------------------------------------------------


def _drift_figures(scope: PanoramaScope, measurable: pl.DataFrame) -> KeyFigures:
    summary = summarise_portfolio(scope.current, scope.threshold)
    over = measurable.filter(
        (
            exceeds_threshold(pl.col("budget_drift"), scope.threshold)
            | exceeds_threshold(pl.col("schedule_drift"), scope.threshold)
        ).fill_null(False)
    )
    budget, schedule = summary.budget_drift, summary.schedule_drift
    return KeyFigures(
        figures=(
            KeyFigure(label="Projets au-delà du seuil", value=f"{over.height} / {measurable.height}"),
            KeyFigure(
                label="Écart budgétaire au-delà du seuil",
                value=f"{budget.over_threshold_count} / {budget.known_count}",
            ),
            KeyFigure(
                label="Écart calendaire au-delà du seuil",
                value=f"{schedule.over_threshold_count} / {schedule.known_count}",
            ),
            KeyFigure(label="Écart budgétaire moyen", value=format_pct(budget.mean)),
            KeyFigure(label="Écart budgétaire pondéré par le coût", value=format_pct(budget.cost_weighted)),
            KeyFigure(label="Écart calendaire moyen", value=format_pct(schedule.mean)),
        ),
        caption=f"Seuil d'alerte : {format_pct(scope.threshold, 0)} ; parmi les projets dont l'écart est connu.",
    )


def _drift_rankings(scope: PanoramaScope, measurable: pl.DataFrame) -> list:
    blocks: list = [
        Chart(
            title="Écart budgétaire et écart calendaire",
            spec=charts.drift_scatter(
                charts.drift_scatter_frame(measurable),
                threshold=scope.threshold,
            ).to_dict(validate=False),
            caption="Taille des bulles : coût ; couleur : ministère ; lignes rouges : seuil d'alerte. "
            "Un écart inconnu est placé sur l'axe (0 %).",
        )
    ]
    for value, title, fmt in (
        ("budget_drift_meur", "Dérive (M€)", charts.MEUR_FORMAT),
        ("budget_drift", "Dérive (%)", charts.PCT_FORMAT),
    ):
        ranked = largest_drifts(measurable, value, DRIFT_TOP_N)
        if not ranked.is_empty():
            unit = "en M€" if value == "budget_drift_meur" else "en %"
            blocks.append(
                Chart(
                    title=f"Les {ranked.height} plus fortes dérives budgétaires {unit}",
                    spec=_drift_bar(ranked, value, title, fmt),
                )
            )
    per_ministry = drift_by_ministry(scope.current).drop_nulls("weighted_budget_drift")
    if not per_ministry.is_empty():
        blocks.append(
            Chart(
                title="Dérive par ministère",
                spec=charts.bar_chart(
                    per_ministry,
                    "ministry_label",
                    "weighted_budget_drift",
                    category_title="Ministère",
                    value_title="Dérive budgétaire pondérée par le coût",
                    value_format=charts.PCT_FORMAT,
                ).to_dict(validate=False),
            )
        )
    return blocks


def _drift_history(scope: PanoramaScope) -> list[Chart]:
    history = average_drift_history(scope.selected, scope.vocab.editions)
    if history.is_empty():
        return []
    spec = charts.drift_history_chart(history).to_dict(validate=False)
    return [Chart(title="Dérive moyenne au fil des éditions", spec=spec)]


def _exit_watch(scope: PanoramaScope) -> list:
    exits = exit_watch(scope.selected, scope.threshold, latest_edition=scope.vocab.latest)
    limit = format_pct(scope.threshold, 0)
    if exits.is_empty():
        return [
            Heading(text="Veille des sorties"),
            Note(
                text=f"Aucun projet de la sélection n'a quitté le panorama avec une dérive au-delà de {limit}.",
                tone="success",
            ),
        ]
    table = frame_table(
        exits.select(
            pl.col("project_name").alias("Projet"),
            pl.col("ministry_label").alias("Ministère"),
            pl.col("last_edition").alias("Dernière édition"),
            pl.col("last_phase").cast(pl.String).alias("Dernière phase"),
            pl.col("last_known_cost_meur").alias("Dernier coût connu"),
            pl.col("last_known_budget_drift").alias("Dernier écart budgétaire"),
            pl.col("last_known_schedule_drift").alias("Dernier écart calendaire"),
        ),
        "Veille des sorties : projets sortis du panorama en dérive",
        {
            "Dernière édition": "month",
            "Dernier coût connu": "money",
            "Dernier écart budgétaire": "percent",
            "Dernier écart calendaire": "percent",
        },
        alert_threshold=scope.threshold,
        caption=f"{exits.height} projet(s) ont quitté le panorama alors que leur dernier écart connu dépassait "
        f"{limit}.",
    )
    return [table]


def drift_section(scope: PanoramaScope) -> Section:
    """How many projects drift, the rankings, drift by ministry and over time, and the exit watch."""
    measurable = scope.current.filter(pl.col("budget_drift").is_not_null() | pl.col("schedule_drift").is_not_null())
    blocks: list = []
    if measurable.is_empty():
        blocks.append(
            Note(
                text="Aucun projet de la sélection n'a de dérive mesurable dans cette édition (il faut au moins "
                "deux éditions avec un chiffre publié).",
                tone="warning",
            )
        )
    else:
        blocks.append(_drift_figures(scope, measurable))
        blocks.extend(_drift_rankings(scope, measurable))
    blocks.extend(_drift_history(scope))
    blocks.extend(_exit_watch(scope))
    blocks.append(Note(text=DRIFT_METHOD_FR))
    return Section(
        page="derives",
        title=PAGE_TITLES["derives"],
        subtitle=f"{_subtitle(scope, scope.current.height)} · seuil d'alerte {format_pct(scope.threshold, 0)}",
        sources=(scope.source,),
        blocks=tuple(blocks),
    )


# ---- Données et méthode -------------------------------------------------------------------------------

SOURCES_FR = (
    f"{PANORAMA_SOURCE_FR} : tableaux par projet des éditions publiées entre novembre 2016 et novembre 2021, "
    "extraits du tableau de bord officiel (github.com/DISIC/panorama, licence MIT), valeurs reprises telles "
    "que publiées.",
    "Chiffres officiels par édition : série à part, chaque ligne avec sa source, jamais mélangée aux chiffres "
    "calculés.",
    "Identité des projets et des ministères d'une édition à l'autre : tables de correspondance relues à la main.",
    "Marchés subséquents : format des données essentielles de la commande publique (DECP, schéma tabulaire "
    "2.0) ; les données embarquées sont simulées.",
)


def data_method_section(scope: PanoramaScope, method_notes: tuple[str, ...] = ()) -> Section:
    """Sources, the loaded editions against the official figures, and how figures are computed."""
    inventory = edition_inventory(scope.all_projects, scope.headlines).select(
        pl.col("edition").alias("Édition"),
        pl.col("projects").alias("Projets"),
        pl.col("official_projects").alias("Projets (officiel)"),
        pl.col("total_cost_meur").alias("Coût total calculé"),
        pl.col("official_total_cost_meur").alias("Coût total officiel"),
        pl.col("withheld_cost").alias("Coûts non publiés"),
        pl.col("cost_definition").alias("Définition du coût"),
    )
    table = frame_table(
        inventory,
        "Éditions chargées",
        {
            "Édition": "month",
            "Projets": "integer",
            "Projets (officiel)": "integer",
            "Coût total calculé": "money",
            "Coût total officiel": "money",
            "Coûts non publiés": "integer",
        },
        caption="Toutes les éditions chargées, sans filtre.",
    )
    blocks = [
        Heading(text="Sources"),
        *(Note(text=text) for text in SOURCES_FR),
        table,
        Heading(text="Méthode"),
        Note(text=f"Écarts (dérives) : {DRIFT_METHOD_FR}"),
        *(Note(text=text) for text in method_notes),
    ]
    return Section(
        page="donnees",
        title=PAGE_TITLES["donnees"],
        subtitle="Sources, éditions chargées, méthode de calcul",
        sources=(DataSource(label=PANORAMA_SOURCE_FR, date=_editions_span(scope.vocab)),),
        blocks=tuple(blocks),
    )


def _editions_span(vocab: Vocabulary) -> str:
    if not vocab.editions:
        return "aucune édition chargée"
    return f"{len(vocab.editions)} éditions, de {format_month(vocab.editions[0])} à {format_month(vocab.editions[-1])}"
