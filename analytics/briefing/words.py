"""The view in words, for the cover and the stamp of every page: edition, filters, sources, date."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from analytics.briefing.model import DataSource
from analytics.formatting import MONTHS_FR, format_month, format_pct
from analytics.params.vocabulary import Vocabulary
from analytics.selection import Selection

PANORAMA_SOURCE_FR = "Panorama des grands projets numériques de l'État (DINUM)"
NO_FILTER_FR = "aucun filtre : tout le panorama"


def edition_words(selection: Selection, vocab: Vocabulary) -> str:
    """`édition novembre 2021, comparée à juillet 2021`."""
    edition = selection.resolved_edition(vocab)
    compare = selection.resolved_compare(vocab)
    text = f"édition {format_month(edition)}" if edition else "aucune édition chargée"
    return text + (f", comparée à {format_month(compare)}" if compare else "")


def _listed(label: str, values: tuple[str, ...]) -> str:
    return f"{label} : {', '.join(values)}"


def filters_in_words(selection: Selection, vocab: Vocabulary, project: str | None = None) -> tuple[str, ...]:
    """One French phrase per active filter, then the alert threshold (it changes every drift count).

    Ministries are named by their label; an id missing from the vocabulary is shown as given.
    """
    phrases: list[str] = []
    if selection.ministries:
        labels = tuple(vocab.ministries.get(m, m) for m in selection.ministries)
        phrases.append(_listed("ministère" if len(labels) == 1 else "ministères", labels))
    if selection.phases:
        phrases.append(_listed("phase" if len(selection.phases) == 1 else "phases", selection.phases))
    if selection.brackets:
        label = "tranche de coût" if len(selection.brackets) == 1 else "tranches de coût"
        phrases.append(_listed(label, selection.brackets))
    if selection.zones:
        label = "zone fonctionnelle" if len(selection.zones) == 1 else "zones fonctionnelles"
        phrases.append(_listed(label, selection.zones))
    if selection.interministerial_only:
        phrases.append("projets interministériels seulement")
    if selection.query:
        phrases.append(f"recherche : « {selection.query} »")
    if not phrases:
        phrases.append(NO_FILTER_FR)
    phrases.append(f"seuil d'alerte de dérive : {format_pct(selection.drift_threshold, 0)}")
    if project in vocab.projects:
        phrases.append(f"fiche ouverte : {vocab.projects[project]}")
    return tuple(phrases)


def production_words(produced_at: datetime) -> str:
    """`12 mai 2026 à 14 h 03` (the caller's clock and zone: the server's local time in the app)."""
    day = f"{produced_at.day} {MONTHS_FR[produced_at.month - 1]} {produced_at.year}"
    return f"{day} à {produced_at.hour} h {produced_at.minute:02d}"


def panorama_source(headlines: pl.DataFrame, edition: date | None) -> DataSource:
    """The panorama edition shown, with its publication date when the headline table records it."""
    if edition is None:
        return DataSource(label=PANORAMA_SOURCE_FR, date="aucune édition chargée")
    published = headlines.filter(pl.col("edition") == edition).get_column("published").drop_nulls()
    when = f"édition {format_month(edition)}" + (f", publication : {published[0]}" if len(published) else "")
    return DataSource(label=PANORAMA_SOURCE_FR, date=when)
