"""Briefing section of the « Évolutions » page: two editions project by project, and the like-for-like split.

Worded by `analytics.panorama.change_report`, as the page is: the figures, sentences and tables are the page's.
"""

from __future__ import annotations

from datetime import date

from analytics.briefing.model import PAGE_TITLES, KeyFigures, Note, Section
from analytics.briefing.panorama_sections import PanoramaScope
from analytics.briefing.tables import CellFormat, frame_table
from analytics.panorama.change_report import (
    change_key_figures,
    continuing_table,
    decomposition_display,
    decomposition_percent_columns,
    entrants_table,
    leavers_table,
    official_display,
    period_caption,
    split_sentence,
    table_formats,
)
from analytics.panorama.changes import CHANGES_METHOD_FR, change_sentences, compare_editions
from analytics.panorama.composition import DECOMPOSITION_METHOD_FR, decompose_drift_change

SENTENCES = 10
CONTINUING_ROWS = 15
_KINDS: dict[str, CellFormat] = {"money": "money", "percent": "percent", "years": "years", "months": "month"}


def _formats(columns: dict[str, list[str]]) -> dict[str, CellFormat]:
    return {column: _KINDS[kind] for kind, names in columns.items() for column in names}


def _decomposition_blocks(scope: PanoramaScope, start: date, end: date) -> list:
    headlines = scope.headlines if scope.selection.is_unfiltered else None
    decomposition = decompose_drift_change(scope.selected, start, end, headlines)
    percent = decomposition_percent_columns(decomposition)
    table = decomposition_display(decomposition)
    points = {c: "years" for c in table.columns if c.endswith("(pt)")}
    counts = {c: "integer" for c in table.columns if c.startswith(("Projets", "Entrants", "Sortants"))}
    blocks: list = [Note(text=split_sentence(s, start, end)) for s in (decomposition.budget_mean,)]
    blocks.append(
        frame_table(
            table,
            "Dérive moyenne : effet de composition et dérive à périmètre constant (points)",
            {**dict.fromkeys(percent, "percent"), **points, **counts},
            caption=DECOMPOSITION_METHOD_FR,
        )
    )
    if decomposition.official is not None:
        official = official_display(decomposition.official, start, end)
        blocks.append(
            frame_table(official, "Moyennes officielles publiées par la DINUM", dict.fromkeys(percent, "percent"))
        )
    return blocks


def changes_section(scope: PanoramaScope, period: tuple[date, date] | None) -> Section:
    """Key figures, the largest moves in sentences, entrants, leavers, the largest continuing moves, the split."""
    base = {"page": "evolutions", "title": PAGE_TITLES["evolutions"], "sources": (scope.source,)}
    if period is None:
        return Section(**base, blocks=(Note(text="Aucune édition de comparaison : pas d'évolution à montrer."),))
    start, end = period
    comparison = compare_editions(scope.selected, start, end, whole=scope.all_projects)
    if comparison.changes.is_empty():
        return Section(**base, blocks=(Note(text="Aucun projet de la sélection dans ces deux éditions."),))
    sentences = [s.text for s in change_sentences(comparison, limit=SENTENCES)]
    tables = (
        (entrants_table(comparison, detailed=False), "Entrants"),
        (leavers_table(comparison, detailed=False), "Sortants"),
        (continuing_table(comparison, detailed=False, limit=CONTINUING_ROWS), "Plus fortes variations de coût"),
    )
    blocks: list = [
        KeyFigures(figures=tuple(change_key_figures(comparison)), caption=period_caption(comparison)),
        Note(text=" ".join(f"{sentence}." for sentence in sentences)),
    ]
    blocks += [frame_table(table, title, _formats(table_formats(table))) for table, title in tables if table.height]
    blocks += _decomposition_blocks(scope, start, end)
    blocks.append(Note(text=CHANGES_METHOD_FR))
    return Section(**base, subtitle=period_caption(comparison), blocks=tuple(blocks))
