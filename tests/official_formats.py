"""Official data.gouv.fr exports rebuilt from a shipped edition, with the quirks of the real 2016-11 and 2017-06 files.

The real exports (DISIC/panorama raw-data/panorama_projets_si.csv, 2016-11, and the 2017-06 file) have 15 columns,
a trailing blank in « Ministère porteur », eleven empty trailing columns, a couple of hundred empty trailing rows,
ISO start dates, decimals with a point, and « En cadrage » in the duration, cost and cost-bracket cells of projects in
cadrage. The values here are the shipped edition's, so an import must give back the shipped projects and total.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import polars as pl

from analytics.panorama.loading import load_panorama
from analytics.panorama.parsing import parse_month_start

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "panorama"
EN_CADRAGE = "En cadrage"
DATAGOUV_HEADER = [
    "Ministère porteur ",
    "Ministère nom complet",
    "Nom du projet",
    "Projet interministériel",
    "Description et objectifs du projet",
    "En savoir plus sur le projet",
    "Début",
    "Durée prévisionnelle en année",
    "Phase du projet en cours",
    "Coût estimé",
    "Coût estimé par tranche",
    "Zone fonctionnelle",
    "Financement [programme(s)]",
    "Lien vers les Projets Annuels de Performances",
    "Date de publication",
]


def shipped_table(edition: str) -> pl.DataFrame:
    """The verbatim published table of one shipped edition ("2016-11"), all text."""
    return pl.read_csv(DATA_DIR / "editions" / f"panorama_{edition}.csv", infer_schema=False)


def shipped_edition(edition: date) -> pl.DataFrame:
    return load_panorama(DATA_DIR).filter(pl.col("edition") == edition)


def datagouv_frame(edition: str, published: str) -> pl.DataFrame:
    """The shipped edition as a data.gouv.fr export published on `published` ("2016-11-03")."""
    table = shipped_table(edition)
    cost = next(c for c in table.columns if c.startswith("Coût"))
    in_cadrage = pl.col("Phase du projet en cours").str.contains("(?i)cadrage")

    def withheld(column: str) -> pl.Expr:
        return pl.when(in_cadrage & pl.col(column).is_null()).then(pl.lit(EN_CADRAGE)).otherwise(pl.col(column))

    frame = table.select(
        pl.col("Ministère porteur").str.slice(0, 6).alias("Ministère porteur "),
        pl.col("Ministère porteur").alias("Ministère nom complet"),
        pl.col("Projet").alias("Nom du projet"),
        pl.col("Projet inter-ministériel").alias("Projet interministériel"),
        pl.col("Description et objectifs").alias("Description et objectifs du projet"),
        pl.lit(None, pl.String).alias("En savoir plus sur le projet"),
        parse_month_start(pl.col("Début")).cast(pl.String).alias("Début"),
        withheld("Durée du projet en années").alias("Durée prévisionnelle en année"),
        pl.col("Phase du projet en cours"),
        withheld(cost).alias("Coût estimé"),
        pl.when(in_cadrage)
        .then(pl.lit(EN_CADRAGE))
        .otherwise(pl.lit("entre 20 et 100 M€"))
        .alias("Coût estimé par tranche"),
        pl.col("Zone fonctionnelle principale").alias("Zone fonctionnelle"),
        pl.col("Programme de financement").alias("Financement [programme(s)]"),
        pl.lit(None, pl.String).alias("Lien vers les Projets Annuels de Performances"),
        pl.lit(published).alias("Date de publication"),
    )
    assert frame.columns == DATAGOUV_HEADER
    return frame


def datagouv_csv(edition: str, published: str) -> bytes:
    """CSV bytes of the export, with the real files' empty trailing columns and rows."""
    frame = datagouv_frame(edition, published)
    padded = frame.with_columns(pl.lit(None, pl.String).alias(f"_empty_{i}") for i in range(11))
    text = padded.write_csv().replace(",".join(f"_empty_{i}" for i in range(11)), "," * 10)
    return (text + ("," * 25 + "\n") * 200).encode("utf-8")


def datagouv_xlsx(edition: str, published: str) -> bytes:
    buffer = io.BytesIO()
    datagouv_frame(edition, published).write_excel(buffer)
    return buffer.getvalue()
