"""The contract-level model every DECP reader produces: one row per contract, current state."""

from __future__ import annotations

import polars as pl

CONTRACT_SCHEMA: dict[str, pl.DataType] = {
    "contract_uid": pl.String(),  # uid when present, else buyer SIRET + id
    "contract_id": pl.String(),  # the buyer's own id
    "buyer_id": pl.String(),  # SIRET of the buyer (acheteur)
    "buyer_name": pl.String(),  # null when the source has none
    "object": pl.String(),
    "cpv_code": pl.String(),  # 8 digits, check digit removed
    "procedure": pl.String(),
    "framework_id": pl.String(),  # idAccordCadre, null when empty
    "notification_date": pl.Date(),
    "duration_months": pl.Int32(),  # null for "NC"
    "initial_amount_eur": pl.Float64(),  # montant notifié at notification
    "amount_eur": pl.Float64(),  # montant notifié after the last modification (current state)
    "holder_id": pl.String(),  # lead holder (first listed), whose row carries the amount
    "holder_id_type": pl.String(),  # SIRET, TVA, ...
    "holder_name": pl.String(),
    "holder_count": pl.Int32(),  # co-holders share one amount: it is never multiplied
    "co_holder_ids": pl.List(pl.String()),  # all holders, lead first
    "modification_count": pl.Int32(),
    "amount_flag": pl.String(),  # null, or why the amount is doubtful (kept, excluded from sums)
    "source_format": pl.String(),  # "table-2.0", "json-2022", "json-2019"
}
