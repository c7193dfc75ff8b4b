"""Holders and beneficiaries of a framework's lots: who the documents name, and what each has committed.

The registry's named parties (with consortium members or aliases) are joined to the committed amounts of both
sources (`lot_spend.committed_by`): a named party without commitment shows 0, a party found in the data but not
named by the documents is kept, marked as such, under the name it carries in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from analytics.decp.frameworks import Framework, Lot
from analytics.decp.lot_spend import SOURCE_DECP, SOURCE_LEDGER, committed_by

Party = Literal["holder", "beneficiary"]
SOURCE_NAMES_FR = {SOURCE_DECP: "DECP", SOURCE_LEDGER: "registre des bons de commande"}
UNNAMED_FR = "non renseigné"
PARTY_SCHEMA: dict[str, pl.DataType] = {
    "lot_id": pl.String(),
    "lot_label": pl.String(),
    "name": pl.String(),
    "also_named": pl.String(),  # consortium members, or a beneficiary's aliases
    "in_registry": pl.Boolean(),  # named by the documents
    "items": pl.Int32(),  # contracts and orders counted
    "committed_eur": pl.Float64(),
    "share": pl.Float64(),  # of the lot's committed amount
    "sources": pl.String(),  # French names of the sources its amounts come from
}


def _named(lot: Lot, party: Party) -> list[tuple[str, str, str]]:
    if party == "holder":
        return [(lot.id, h.name, " ; ".join(h.members)) for h in lot.named_holders]
    return [(lot.id, b.name, " ; ".join(b.aliases)) for b in lot.named_beneficiaries]


def parties(framework: Framework, rows: pl.DataFrame, party: Party, lot_ids: Sequence[str]) -> pl.DataFrame:
    """Named and observed parties of the given lots (PARTY_SCHEMA), lot by lot, largest committed amount first.

    `rows`: `lot_spend.commitments` of the framework.
    """
    lots = [lot for lot in framework.lots if lot.id in lot_ids]
    named = pl.DataFrame(
        [entry for lot in lots for entry in _named(lot, party)],
        schema={"lot_id": pl.String(), "name": pl.String(), "also_named": pl.String()},
        orient="row",
    ).with_columns(in_registry=pl.lit(True))
    observed = committed_by(
        rows.filter(pl.col("lot_id").is_in(list(lot_ids))).with_columns(pl.col(party).fill_null(UNNAMED_FR)), party
    ).rename({party: "name"})
    order = {lot.id: index for index, lot in enumerate(lots)}
    labels = {lot.id: lot.label_fr for lot in lots}
    sources = pl.col("sources")
    for code, french in SOURCE_NAMES_FR.items():
        sources = sources.str.replace_all(code, french, literal=True)
    return (
        named.join(observed, on=["lot_id", "name"], how="full", coalesce=True)
        .with_columns(
            lot_label=pl.col("lot_id").replace_strict(labels, return_dtype=pl.String),
            in_registry=pl.col("in_registry").fill_null(False),
            items=pl.col("items").fill_null(0),
            committed_eur=pl.col("committed_eur").fill_null(0.0),
            share=pl.col("share").fill_null(0.0),
            sources=sources,
            _order=pl.col("lot_id").replace_strict(order, return_dtype=pl.Int32),
        )
        .sort(["_order", "committed_eur", "name"], descending=[False, True, False])
        .select(list(PARTY_SCHEMA))
        .cast(PARTY_SCHEMA)
    )


def unnamed_note_fr(framework: Framework, party: Party, lot_ids: Sequence[str]) -> list[str]:
    """What the documents say instead of names, or beyond them (« tous les ministères… »), lot by lot."""
    notes = []
    for lot in (lot for lot in framework.lots if lot.id in lot_ids):
        fact = lot.holders if party == "holder" else lot.beneficiaries
        if fact.why_none:
            notes.append(f"{lot.label_fr} : {fact.why_none}")
        elif party == "beneficiary" and lot.beneficiaries.value.others:
            notes.append(f"{lot.label_fr} : aussi {lot.beneficiaries.value.others}.")
        if fact.note:
            notes.append(f"{lot.label_fr} : {fact.note}")
    return notes
