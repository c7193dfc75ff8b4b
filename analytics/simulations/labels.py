"""French column headers for the scenario tables, as displayed on the page and in downloads."""

from __future__ import annotations

import polars as pl

FRENCH_COLUMNS: dict[str, str] = {
    "project_id": "Identifiant du projet",
    "project_name": "Projet",
    "ministry_id": "Identifiant du ministère",
    "ministry_label": "Ministère",
    "cost_meur": "Coût actuel (M€)",
    "baseline_cost_meur": "Coût initial (M€)",
    "scope": "Périmètre au seuil simulé",
    "baseline_scope": "Périmètre au seuil de 9 M€",
    "change": "Changement par rapport à 9 M€",
    "watched": "Veille au fractionnement",
    "gap_to_threshold_meur": "Écart au seuil (M€)",
    "projects_inside": "Projets dans le périmètre",
    "cost_inside_meur": "Coût dans le périmètre (M€)",
    "projects_outside": "Projets hors périmètre",
    "cost_outside_meur": "Coût hors périmètre (M€)",
    "projects_withheld": "Projets au coût non publié",
    "projects_watched": "Projets sous veille",
    "dimension": "Dérive",
    "level": "Niveau d'alerte",
    "drift": "Dérive constatée",
    "budget_drift": "Dérive budgétaire",
    "budget_drift_meur": "Dérive budgétaire (M€)",
    "schedule_drift": "Dérive calendaire",
    "projects": "Projets",
    "drift_meur": "Dérive budgétaire en jeu (M€)",
    "projects_assessed": "Projets évaluables",
    "projects_capped": "Projets écrêtés",
    "capped_cost_meur": "Coût plafonné (M€)",
    "avoided_meur": "Montant évité (M€)",
    "month": "Mois",
    "projected_consumed_eur": "Consommation projetée (€)",
    "estimated_eur": "Montant estimé (€)",
    "maximum_eur": "Montant maximum (€)",
}

# Columns holding fractions (0.25 = 25 %): shown as percentages, downloaded as fractions.
FRACTION_COLUMNS_FR: frozenset[str] = frozenset(
    FRENCH_COLUMNS[name] for name in ("level", "drift", "budget_drift", "schedule_drift")
)


def to_french(frame: pl.DataFrame) -> pl.DataFrame:
    """Rename the known columns to their French headers; unknown columns are left as they are."""
    return frame.rename(FRENCH_COLUMNS, strict=False)
