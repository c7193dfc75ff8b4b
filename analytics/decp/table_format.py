"""The flat DECP table (schéma tabulaire DECP 2.0): one row per contract × holder × modification state."""

from __future__ import annotations

import polars as pl

from analytics.decp.normalise import RAW_SCHEMA
from analytics.decp.report import DecpReport
from analytics.panorama.parsing import parse_boolean

TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "uid",
    "acheteur_id",
    "acheteur_nom",
    "nature",
    "objet",
    "codeCPV",
    "procedure",
    "attributionAvance",
    "tauxAvance",
    "ccag",
    "origineUE",
    "origineFrance",
    "marcheInnovant",
    "offresRecues",
    "sousTraitanceDeclaree",
    "typeGroupementOperateurs",
    "idAccordCadre",
    "lieuExecution_code",
    "lieuExecution_typeCode",
    "lieuExecution_nom",
    "dureeMois",
    "dateNotification",
    "datePublicationDonnees",
    "montant",
    "formePrix",
    "titulaire_id",
    "titulaire_typeIdentifiant",
    "titulaire_denominationSociale",
    "objetModification",
    "source",
    "donneesActuelles",
    "anomalies",
)
REQUIRED_TABLE_COLUMNS: tuple[str, ...] = ("id", "acheteur_id", "dateNotification", "montant", "titulaire_id")
# Columns the contract model is built from: the projection pushed down when scanning a national file.
USED_TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "uid",
    "acheteur_id",
    "acheteur_nom",
    "objet",
    "codeCPV",
    "procedure",
    "idAccordCadre",
    "dureeMois",
    "dateNotification",
    "montant",
    "titulaire_id",
    "titulaire_typeIdentifiant",
    "titulaire_denominationSociale",
    "objetModification",
    "donneesActuelles",
)
# The one place for column names other than the table schema's: the consolidated national file analysts download
# (decp.info / decp-processing output) names the holder `titulaire_nom`. Per row, the first non-empty column of each
# tuple wins, the schema's own name first.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {"titulaire_denominationSociale": ("titulaire_nom",)}
# Columns worth reading from a national file: the used ones under any of their names.
SCANNED_COLUMNS: tuple[str, ...] = USED_TABLE_COLUMNS + tuple(a for names in COLUMN_ALIASES.values() for a in names)
_KNOWN_COLUMNS = frozenset(TABLE_COLUMNS) | frozenset(SCANNED_COLUMNS)


def column_sources(columns: list[str]) -> dict[str, list[str]]:
    """For each used column, the columns of the file that feed it (schema name first, then aliases)."""
    sources = {}
    for column in USED_TABLE_COLUMNS:
        present = [name for name in (column, *COLUMN_ALIASES.get(column, ())) if name in columns]
        if present:
            sources[column] = present
    return sources


def _text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String).str.strip_chars().replace("", None)


def with_canonical_columns(table: pl.DataFrame, report: DecpReport) -> pl.DataFrame:
    """The used columns under their schema names (aliases folded in, absent ones empty); the mapping is reported."""
    sources = column_sources(table.columns)
    report.columns_used = {column: " puis ".join(names) for column, names in sources.items()}
    return table.select(
        (pl.coalesce(_text(n) for n in sources[column]) if column in sources else pl.lit(None, pl.String)).alias(column)
        for column in USED_TABLE_COLUMNS
    )


def check_table_columns(columns: list[str], report: DecpReport) -> bool:
    """Report missing and unknown columns; False when a required column is missing."""
    missing_required = [c for c in REQUIRED_TABLE_COLUMNS if c not in columns]
    if missing_required:
        report.errors.append(
            f"{report.file_name} : colonne(s) obligatoire(s) absente(s) : {', '.join(missing_required)}. "
            f"Colonnes trouvées : {', '.join(columns) or 'aucune'}."
        )
        return False
    sources = column_sources(columns)
    missing_used = [c for c in USED_TABLE_COLUMNS if c not in sources]
    if missing_used:
        report.warnings.append(
            f"{report.file_name} : colonne(s) attendue(s) absente(s) : {', '.join(missing_used)} ; "
            "valeurs considérées comme vides."
        )
    unknown = [c for c in columns if c not in _KNOWN_COLUMNS]
    if unknown:
        report.warnings.append(
            f"{report.file_name} : colonne(s) inconnue(s) du schéma DECP 2.0, ignorée(s) : {', '.join(unknown)}."
        )
    return True


def table_to_raw(table: pl.DataFrame, report: DecpReport, row_label: str, first_row_number: int) -> pl.DataFrame:
    """Keep the current state of each contract and map the table to RAW_SCHEMA (one row per holder).

    `table` holds text columns; `row_label` and `first_row_number` locate rows in messages ("ligne", 2 for
    a CSV whose line 1 is the header). For a modified contract, the amount and date at notification are read
    from its superseded "…00" row when the file has it (ids end with the modification sequence number);
    the current row's date is the modification's.
    """
    rows = (
        with_canonical_columns(table, report)
        .with_row_index("row_index")
        .with_columns(
            row_ref=pl.format(f"{row_label} {{}}", pl.col("row_index") + first_row_number),
            current=parse_boolean(pl.col("donneesActuelles")),
        )
    )
    report.rows_read = rows.height
    unreadable = rows.filter(pl.col("donneesActuelles").is_not_null() & pl.col("current").is_null())
    report.warn_rows(
        unreadable.select(
            pl.format(
                f"{report.file_name}, {{}} : colonne « donneesActuelles », valeur « {{}} » non reconnue "
                "(oui/non, true/false, 1/0 attendus) ; ligne considérée comme actuelle.",
                pl.col("row_ref"),
                pl.col("donneesActuelles"),
            ).alias("message")
        )
    )
    if rows.get_column("current").null_count() == rows.height:
        report.warnings.append(
            f"{report.file_name} : colonne « donneesActuelles » absente ou vide : toutes les lignes sont "
            "considérées comme l'état actuel de leur marché."
        )
    superseded = rows.filter(pl.col("current") == False)  # noqa: E712 (null means unknown, kept)
    current = rows.filter(pl.col("current").fill_null(True))
    report.superseded_rows_dropped = superseded.height

    sequence = pl.col("id").str.extract(r"([0-9]{2})$", 1)
    modified = pl.col("objetModification").is_not_null()
    initial_states = superseded.select(
        pl.col("acheteur_id"),
        pl.col("id").alias("initial_id"),
        pl.col("montant").alias("initial_montant"),
        pl.col("dateNotification").alias("initial_date"),
    ).unique(subset=["acheteur_id", "initial_id"], keep="first", maintain_order=True)
    return (
        current.with_columns(
            initial_id=pl.when(modified & sequence.is_not_null()).then(
                pl.col("id").str.slice(0, pl.col("id").str.len_chars() - 2) + "00"
            ),
            modification_count=pl.when(~modified)
            .then(0)
            .otherwise(pl.coalesce(sequence.cast(pl.Int32, strict=False), pl.lit(1)))
            .cast(pl.Int32),
        )
        .join(initial_states, on=["acheteur_id", "initial_id"], how="left", nulls_equal=False, maintain_order="left")
        .select(
            "row_ref",
            pl.col("uid").alias("contract_uid"),
            pl.col("id").alias("contract_id"),
            pl.col("acheteur_id").alias("buyer_id"),
            pl.col("acheteur_nom").alias("buyer_name"),
            pl.col("objet").alias("object"),
            pl.col("codeCPV").alias("cpv_raw"),
            "procedure",
            pl.col("idAccordCadre").alias("framework_id"),
            pl.coalesce("initial_date", "dateNotification").alias("notification_date_raw"),
            pl.col("dureeMois").alias("duration_raw"),
            pl.when(modified).then(pl.col("initial_montant")).otherwise(pl.col("montant")).alias("initial_amount_raw"),
            pl.col("montant").alias("amount_raw"),
            pl.col("titulaire_id").alias("holder_id"),
            pl.col("titulaire_typeIdentifiant").alias("holder_id_type"),
            pl.col("titulaire_denominationSociale").alias("holder_name"),
            pl.col("row_index").cast(pl.Int64).alias("holder_rank"),
            "modification_count",
            pl.lit("table-2.0").alias("source_format"),
        )
        .cast(RAW_SCHEMA)
    )
