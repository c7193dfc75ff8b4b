"""The two JSON DECP formats (2019: {"marches": [...]}, 2022: {"marches": {"marche": [...]}}).

JSON trees are irregular (numbers or "NC", holder lists nested one level more in some files), so the tree is
first flattened into one "event" row per notification and per modification; applying the modifications in
date order and every other business rule then runs in polars.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from analytics.decp.normalise import RAW_SCHEMA, file_reference_date, late_modification_message, parse_date
from analytics.decp.report import DecpReport

HOLDER_STRUCT = pl.Struct({"holder_id_type": pl.String(), "holder_id": pl.String(), "holder_name": pl.String()})
# Contract-level fields shared with the flat table's raw rows (same names and dtypes as RAW_SCHEMA).
_CONTRACT_FIELDS: tuple[str, ...] = (
    "row_ref",
    "contract_uid",
    "contract_id",
    "buyer_id",
    "buyer_name",
    "object",
    "cpv_raw",
    "procedure",
    "framework_id",
    "notification_date_raw",
)
EVENT_SCHEMA: dict[str, pl.DataType] = {
    "record": pl.Int64(),
    **{name: RAW_SCHEMA[name] for name in _CONTRACT_FIELDS},
    "event_order": pl.Int32(),  # 0: notification, then modifications in file order
    "event_date": pl.String(),
    "event_published": pl.String(),  # datePublicationDonnees(Modification): bounds the file's date
    "event_amount": pl.String(),
    "event_duration": pl.String(),
    "event_holders": pl.List(HOLDER_STRUCT),
}


def _text(value: Any) -> str | None:
    """Scalars as text (numbers included), containers and null as None."""
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def _unwrap(value: Any, key: str) -> list[dict[str, Any]]:
    """The objects of a JSON list whatever the wrapping: [{key: {...}}], [{...}], [[{...}]], {key: [...]},
    {key: {...}}, [{key: [...]}] (the 2019 files converted from XML wrap single items and lists alike)."""
    if isinstance(value, list):
        return [item for element in value for item in _unwrap(element, key)]
    if isinstance(value, dict):
        return _unwrap(value[key], key) if key in value else [value]
    return []


def _holders(value: Any) -> list[dict[str, str | None]]:
    """Holders of a contract or of a modification, in file order."""
    return [
        {
            "holder_id_type": _text(holder.get("typeIdentifiant")),
            "holder_id": _text(holder.get("id")),
            "holder_name": _text(holder.get("denominationSociale")),
        }
        for holder in _unwrap(value, "titulaire")
    ]


def _modifications(value: Any) -> list[dict[str, Any]]:
    return _unwrap(value, "modification")


def _buyer(record: dict[str, Any]) -> tuple[str | None, str | None]:
    buyer = record.get("acheteur")
    if isinstance(buyer, dict):
        return _text(buyer.get("id")), _text(buyer.get("nom"))
    return _text(record.get("acheteur.id")), _text(record.get("acheteur.nom"))


def _events(records: list[Any], report: DecpReport) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            report.warnings.append(f"{report.file_name}, marché n° {number} : enregistrement non objet, ignoré.")
            continue
        buyer_id, buyer_name = _buyer(record)
        contract = {
            "record": number,
            "row_ref": f"marché n° {number} (id « {_text(record.get('id'))} »)",
            "contract_uid": _text(record.get("uid")),
            "contract_id": _text(record.get("id")),
            "buyer_id": buyer_id,
            "buyer_name": buyer_name,
            "object": _text(record.get("objet")),
            "cpv_raw": _text(record.get("codeCPV")),
            "procedure": _text(record.get("procedure")),
            "framework_id": _text(record.get("idAccordCadre")),
            "notification_date_raw": _text(record.get("dateNotification")),
        }
        events.append(
            contract
            | {
                "event_order": 0,
                "event_date": contract["notification_date_raw"],
                "event_published": _text(record.get("datePublicationDonnees")),
                "event_amount": _text(record.get("montant")),
                "event_duration": _text(record.get("dureeMois")),
                "event_holders": _holders(record.get("titulaires")),
            }
        )
        for order, change in enumerate(_modifications(record.get("modifications")), start=1):
            events.append(
                contract
                | {
                    "event_order": order,
                    "event_date": _text(change.get("dateNotificationModification")),
                    "event_published": _text(change.get("datePublicationDonneesModification")),
                    "event_amount": _text(change.get("montant")),
                    "event_duration": _text(change.get("dureeMois")),
                    "event_holders": _holders(change.get("titulaires")),
                }
            )
    return events


def json_records(document: Any, report: DecpReport) -> list[Any] | None:
    """The list of contracts of either JSON format (concessions set aside), or None with an error."""
    marches = document.get("marches") if isinstance(document, dict) else None
    if isinstance(marches, dict):
        report.source_format = "json-2022"
        records = marches.get("marche", [])
        concessions = marches.get("contrat-concession", [])
    elif isinstance(marches, list):
        report.source_format = "json-2019"
        concessions = [r for r in marches if isinstance(r, dict) and "concession" in str(r.get("_type", "")).lower()]
        records = [r for r in marches if not (isinstance(r, dict) and "concession" in str(r.get("_type", "")).lower())]
    else:
        report.errors.append(
            f"{report.file_name} : clé « marches » absente ou mal formée ; formats JSON attendus : "
            '{"marches": {"marche": [...]}} (2022) ou {"marches": [...]} (2019).'
        )
        return None
    if isinstance(concessions, list) and concessions:
        report.notes.append(f"{len(concessions)} contrat(s) de concession ignoré(s) (hors marchés).")
    if not isinstance(records, list):
        report.errors.append(f"{report.file_name} : « marches.marche » n'est pas une liste.")
        return None
    return records


def json_to_raw(records: list[Any], report: DecpReport, as_of: date) -> pl.DataFrame:
    """Current state of each contract (modifications applied in date order), one row per holder.

    A modification dated after the file's date (its latest publication date, or `as_of`) cannot be genuine: it is
    not applied and the contract says so in `modification_flag`.
    """
    events = pl.DataFrame(_events(records, report), schema=EVENT_SCHEMA).with_columns(
        event_day=parse_date(pl.col("event_date")), is_change=pl.col("event_order") > 0
    )
    report.rows_read = len(records)
    reference, label = file_reference_date(events.select(parse_date(pl.col("event_published"))).to_series(), as_of)
    late = pl.col("is_change") & (pl.col("event_day") > reference).fill_null(False)
    flags = (
        events.filter(late)
        .group_by("record")
        .agg(
            late_modification_message(
                pl.col("event_day").sort().cast(pl.String).str.join(", "), reference, label
            ).alias("modification_flag")
        )
    )
    state = (
        events.filter(~late)
        .sort(["record", "is_change", "event_day", "event_order"], nulls_last=True)
        .group_by("record", maintain_order=True)
        .agg(
            *(pl.col(c).first() for c in _CONTRACT_FIELDS),
            pl.col("event_amount").first().alias("initial_amount_raw"),
            pl.col("event_amount").drop_nulls().last().alias("amount_raw"),
            pl.col("event_duration").drop_nulls().last().alias("duration_raw"),
            pl.col("event_holders").filter(pl.col("event_holders").list.len() > 0).last().alias("holders"),
            (pl.len() - 1).cast(pl.Int32).alias("modification_count"),
        )
        .join(flags, on="record", how="left", maintain_order="left")
    )
    return (
        state.explode("holders")
        .with_row_index("holder_rank")
        .unnest("holders")
        .with_columns(
            pl.lit(report.source_format).alias("source_format"), pl.lit(None, pl.String).alias("amount_doubt")
        )
        .select(pl.col(name).cast(dtype) for name, dtype in RAW_SCHEMA.items())
    )
