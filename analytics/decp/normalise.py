"""From holder-level rows (any DECP format) to one row per contract in CONTRACT_SCHEMA.

Every reader first maps its format to `RAW_SCHEMA` (strings as read, one row per contract × holder, current
state only); the rules below are then the same for every format, and each change is reported.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analytics.decp.report import DecpReport
from analytics.decp.schema import CONTRACT_SCHEMA
from analytics.decp.siret import siret_is_valid
from analytics.panorama.parsing import parse_number

RAW_SCHEMA: dict[str, pl.DataType] = {
    "row_ref": pl.String(),  # French locator for messages: "ligne 5", "marché n° 3"
    "contract_uid": pl.String(),
    "contract_id": pl.String(),
    "buyer_id": pl.String(),
    "buyer_name": pl.String(),
    "object": pl.String(),
    "cpv_raw": pl.String(),
    "procedure": pl.String(),
    "framework_id": pl.String(),
    "notification_date_raw": pl.String(),
    "duration_raw": pl.String(),
    "initial_amount_raw": pl.String(),
    "amount_raw": pl.String(),
    "holder_id": pl.String(),
    "holder_id_type": pl.String(),
    "holder_name": pl.String(),
    "holder_rank": pl.Int64(),  # order of appearance: the lowest rank is the lead holder
    "modification_count": pl.Int32(),  # modifications applied
    "source_format": pl.String(),
    "modification_flag": pl.String(),  # why the latest modification was not applied (dated after the file), or null
    "amount_doubt": pl.String(),  # why the reader cannot vouch for the amount (excluded from sums), or null
}

# Columns added to CONTRACT_SCHEMA by this module (kept visible, never used to drop a contract).
QUALITY_SCHEMA: dict[str, pl.DataType] = {
    "date_flag": pl.String(),  # null, or why the notification date is doubtful
    "siret_flag": pl.String(),  # null, or which SIRET of the contract fails its check
}
NORMALISED_SCHEMA: dict[str, pl.DataType] = {**CONTRACT_SCHEMA, **QUALITY_SCHEMA}

ABSURD_AMOUNT_MARKER = 12_311_111_111.0
MAX_DURATION_MONTHS = 1_200  # a century: beyond, the cell is not a duration
AMOUNT_CEILING_EUR = 1e9

AMOUNT_RULE_FR = (
    "Montant notifié compté une seule fois par marché, dans son état actuel (après la dernière "
    "modification). Quand un marché a plusieurs titulaires (groupement), le montant n'est pas multiplié : "
    "il est attribué en entier au premier titulaire cité (le mandataire), les cotitulaires sont listés."
)

_STRING_COLUMNS = [name for name, dtype in RAW_SCHEMA.items() if dtype == pl.String()]


def parse_amount(value: pl.Expr) -> pl.Expr:
    """Euro amount from text ("12,500.50", "1.234,5", "3 000 000 €"); null when not one unambiguous number."""
    return parse_number(value.str.replace_all("€", "", literal=True))


def parse_date(value: pl.Expr) -> pl.Expr:
    """ISO date (time or offset suffix ignored) or French dd/mm/yyyy."""
    return pl.coalesce(
        value.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
        value.str.to_date("%d/%m/%Y", strict=False),
    )


def file_reference_date(published: pl.Series, as_of: date) -> tuple[date, str]:
    """The date no event of the file can be after, and how to name it in messages.

    A file holds what was published by the time it was produced: its latest publication date
    (datePublicationDonnees), unless that is itself after `as_of` (the reading day) or absent.
    """
    latest = published.drop_nulls().max()
    if isinstance(latest, date) and latest <= as_of:
        return latest, "la date du fichier"
    return as_of, "la date du jour"


def late_modification_message(day: pl.Expr, reference: date, label: str) -> pl.Expr:
    """Why a modification dated after the file's reference date is not applied."""
    return pl.format(f"modification du {{}} non appliquée : postérieure à {label} ({reference})", day)


def parse_cpv(value: pl.Expr) -> pl.Expr:
    """8-digit CPV code, with or without its "-d" check digit; anything else is null."""
    return value.str.extract(r"^([0-9]{8})(?:-[0-9])?$", 1)


def amount_flag_expr(amount: pl.Expr) -> pl.Expr:
    """Why an amount is excluded from sums (it stays visible), or null."""
    return (
        pl.when(amount.is_null())
        .then(pl.lit("montant absent ou illisible"))
        .when(amount == ABSURD_AMOUNT_MARKER)
        .then(pl.lit("valeur marqueur connue 12 311 111 111 €"))
        .when(amount <= 0)
        .then(pl.lit("montant nul ou négatif"))
        .when(amount >= AMOUNT_CEILING_EUR)
        .then(pl.lit("montant supérieur ou égal à 1 Md€, invraisemblable"))
        .otherwise(None)
    )


def _report_unparsed(
    frame: pl.DataFrame, raw: str, parsed: pl.Expr, column_fr: str, why: str, report: DecpReport
) -> None:
    """One warning per contract and unreadable value, however many holder rows repeat it."""
    bad = frame.filter(pl.col(raw).is_not_null() & parsed.is_null()).unique(
        ["contract_uid", raw], keep="first", maintain_order=True
    )
    report.warn_rows(
        bad.select(
            pl.format(
                f"{report.file_name}, {{}} : colonne « {column_fr} », valeur « {{}} » {why}",
                pl.col("row_ref"),
                pl.col(raw),
            ).alias("message")
        )
    )


def _contracts_where(rows: pl.DataFrame, condition: pl.Expr) -> int:
    """Contracts (not holder rows) meeting a condition: what a normalisation note counts."""
    return rows.filter(condition.fill_null(False)).get_column("contract_uid").n_unique()


def _typed_rows(raw: pl.DataFrame, report: DecpReport) -> pl.DataFrame:
    """Strip text, turn empty strings into nulls, parse numbers and dates, reporting what failed."""
    rows = raw.with_columns(pl.col(c).str.strip_chars().replace("", None).alias(c) for c in _STRING_COLUMNS)
    rows = rows.with_columns(
        contract_uid=pl.coalesce(pl.col("contract_uid"), pl.col("buyer_id") + pl.col("contract_id"))
    )
    duration_text = pl.col("duration_raw")
    is_nc = duration_text.str.to_uppercase() == "NC"
    number = parse_number(duration_text)
    duration = pl.when(number.is_between(0, MAX_DURATION_MONTHS)).then(number)
    nc_count = _contracts_where(rows, is_nc)
    if nc_count:
        report.notes.append(f"{nc_count} durée(s) « NC » remplacée(s) par une valeur vide (durée inconnue).")
    with_dash = _contracts_where(rows, pl.col("cpv_raw").str.contains(r"^[0-9]{8}-[0-9]$"))
    if with_dash:
        report.notes.append(f"{with_dash} code(s) CPV ramené(s) à 8 chiffres (chiffre de contrôle retiré).")
    _report_unparsed(rows, "amount_raw", parse_amount(pl.col("amount_raw")), "montant", "n'est pas un nombre", report)
    _report_unparsed(
        rows,
        "notification_date_raw",
        parse_date(pl.col("notification_date_raw")),
        "dateNotification",
        "n'est pas une date AAAA-MM-JJ",
        report,
    )
    _report_unparsed(
        rows, "cpv_raw", parse_cpv(pl.col("cpv_raw")), "codeCPV", "n'est pas un code CPV à 8 chiffres", report
    )
    _report_unparsed(
        rows.filter(~is_nc.fill_null(False)),
        "duration_raw",
        duration,
        "dureeMois",
        f"n'est pas un nombre de mois plausible (0 à {MAX_DURATION_MONTHS})",
        report,
    )
    return rows.with_columns(
        amount_eur=parse_amount(pl.col("amount_raw")),
        initial_amount_eur=parse_amount(pl.col("initial_amount_raw")),
        notification_date=parse_date(pl.col("notification_date_raw")),
        duration_months=pl.when(is_nc).then(None).otherwise(duration.round(0)).cast(pl.Int32),
        cpv_code=parse_cpv(pl.col("cpv_raw")),
    )


def _check_sirets(rows: pl.DataFrame, report: DecpReport) -> pl.DataFrame:
    """Flag buyer and holder SIRETs failing their check; rows are kept, the analyst is told once per contract."""
    holder_is_siret = pl.col("holder_id_type").is_null() | (pl.col("holder_id_type").str.to_uppercase() == "SIRET")
    checked = rows.with_columns(
        buyer_siret_bad=~siret_is_valid(pl.col("buyer_id")).fill_null(True),
        holder_siret_bad=holder_is_siret & ~siret_is_valid(pl.col("holder_id")).fill_null(True),
    )
    for flag, column, label in (
        ("buyer_siret_bad", "buyer_id", "acheteur_id"),
        ("holder_siret_bad", "holder_id", "titulaire_id"),
    ):
        bad = checked.filter(pl.col(flag)).unique(["contract_uid", column], keep="first", maintain_order=True)
        report.invalid_siret += bad.height
        report.warn_rows(
            bad.select(
                pl.format(
                    f"{report.file_name}, {{}} : colonne « {label} », SIRET « {{}} » invalide "
                    "(14 chiffres et clé de Luhn attendus) ; ligne conservée.",
                    pl.col("row_ref"),
                    pl.col(column),
                ).alias("message")
            )
        )
    return checked


def to_contracts(raw: pl.DataFrame, report: DecpReport, as_of: date) -> pl.DataFrame:
    """One row per contract (current state), holders listed lead first, quality flags set.

    `raw` holds only current-state rows in RAW_SCHEMA; `as_of` is the day after which a notification date is
    considered to be in the future.
    """
    raw = raw.select(pl.col(name).cast(dtype) for name, dtype in RAW_SCHEMA.items())
    rows = _typed_rows(raw, report)
    missing_key = rows.filter(pl.col("contract_uid").is_null())
    report.warn_rows(
        missing_key.select(
            pl.format(
                f"{report.file_name}, {{}} : ni « uid » ni « acheteur_id » + « id » : ligne ignorée.",
                pl.col("row_ref"),
            ).alias("message")
        )
    )
    rows = rows.filter(pl.col("contract_uid").is_not_null())
    content = [c for c in rows.columns if c not in ("row_ref", "holder_rank")]
    deduplicated = rows.sort("holder_rank").unique(subset=content, keep="first", maintain_order=True)
    report.duplicates_collapsed += rows.height - deduplicated.height
    checked = _check_sirets(deduplicated, report)

    conflicts = (
        checked.group_by("contract_uid")
        .agg(pl.col("amount_eur").n_unique().alias("amounts"), pl.col("row_ref").first())
        .filter(pl.col("amounts") > 1)
        .sort("contract_uid")
    )
    report.warn_rows(
        conflicts.select(
            pl.format(
                f"{report.file_name}, marché « {{}} » ({{}}) : montants différents selon les lignes ; "
                "le montant du premier titulaire est retenu.",
                pl.col("contract_uid"),
                pl.col("row_ref"),
            ).alias("message")
        )
    )

    contract_level = [c for c in CONTRACT_SCHEMA if c not in ("holder_count", "co_holder_ids", "amount_flag")]
    contracts = (
        checked.sort("holder_rank")
        .group_by("contract_uid", maintain_order=True)
        .agg(
            *(pl.col(c).first() for c in contract_level if c != "contract_uid"),
            pl.col("holder_id").drop_nulls().unique(maintain_order=True).alias("co_holder_ids"),
            pl.col("buyer_siret_bad").first().alias("buyer_siret_bad"),
            pl.col("modification_flag").first(),
            pl.col("amount_doubt").first(),
            pl.col("holder_id").filter(pl.col("holder_siret_bad")).unique(maintain_order=True).alias("bad_holders"),
        )
        .with_columns(
            holder_count=pl.col("co_holder_ids").list.len().cast(pl.Int32),
            amount_flag=pl.coalesce(amount_flag_expr(pl.col("amount_eur")), pl.col("amount_doubt")),
            date_flag=pl.concat_str(
                pl.when(pl.col("notification_date") > pl.lit(as_of)).then(
                    pl.format("date de notification future ({})", pl.col("notification_date"))
                ),
                pl.col("modification_flag"),
                separator=" ; ",
                ignore_nulls=True,
            ).replace("", None),
            siret_flag=pl.concat_str(
                pl.when(pl.col("buyer_siret_bad")).then(pl.format("SIRET acheteur invalide ({})", pl.col("buyer_id"))),
                pl.when(pl.col("bad_holders").list.len() > 0).then(
                    pl.format("SIRET titulaire invalide ({})", pl.col("bad_holders").list.join(", "))
                ),
                separator=" ; ",
                ignore_nulls=True,
            ).replace("", None),
        )
    )
    _report_late_modifications(contracts, report)
    contracts = contracts.select(pl.col(name).cast(dtype) for name, dtype in NORMALISED_SCHEMA.items())
    _report_contract_flags(contracts, report, as_of)
    report.contracts_kept = contracts.height
    return contracts


def _report_late_modifications(contracts: pl.DataFrame, report: DecpReport) -> None:
    late = contracts.filter(pl.col("modification_flag").is_not_null())
    outcome = (
        pl.when(pl.col("amount_doubt").is_null())
        .then(pl.lit("état antérieur retenu"))
        .otherwise(pl.lit("état antérieur absent du fichier : montant exclu des sommes"))
    )
    report.warn_rows(
        late.select(
            pl.format(
                f"{report.file_name}, marché « {{}} » : {{}} ; {{}}.",
                pl.col("contract_uid"),
                pl.col("modification_flag"),
                outcome,
            ).alias("message")
        )
    )


def _report_contract_flags(contracts: pl.DataFrame, report: DecpReport, as_of: date) -> None:
    flagged = contracts.filter(pl.col("amount_flag").is_not_null())
    report.flagged_amounts = flagged.height
    report.warn_rows(
        flagged.select(
            pl.format(
                f"{report.file_name}, marché « {{}} » : colonne « montant », valeur « {{}} » : {{}} ; "
                "marché conservé mais exclu des sommes.",
                pl.col("contract_uid"),
                pl.col("amount_eur").cast(pl.String).fill_null("vide"),
                pl.col("amount_flag"),
            ).alias("message")
        )
    )
    future = contracts.filter(pl.col("notification_date") > pl.lit(as_of))
    report.future_dates = future.height
    report.warn_rows(
        future.select(
            pl.format(
                f"{report.file_name}, marché « {{}} » : colonne « dateNotification », valeur « {{}} » "
                "postérieure à la date du jour ; marché conservé et signalé.",
                pl.col("contract_uid"),
                pl.col("notification_date"),
            ).alias("message")
        )
    )
