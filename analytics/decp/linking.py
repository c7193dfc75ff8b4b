"""Which DECP contracts belong to a framework's lot: by identifier, or probably (buyer, holder, CPV, date).

Only lots executed by marchés subséquents can have contracts in DECP (bons de commande are not published there).
`idAccordCadre` is the buyer's own reference and often empty in subsequent contracts, hence the second, weaker
rule; its result is labelled "probable" and every link carries its reason in French. The probable rule needs the
lot's holders and beneficiaries to be named in the registry: without them it links nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import polars.selectors as cs

from analytics.decp.frameworks import Beneficiary, Framework, Holder, Lot
from analytics.text import match_key_expr

LINK_IDENTIFIER = "identifiant"
LINK_PROBABLE = "probable"
IT_SERVICES_CPV_PREFIX = "72"  # CPV division 72: IT services (consulting, development, support)
LINK_RULE_FR = (
    "Seuls les lots exécutés par marchés subséquents ont des marchés dans les DECP (les bons de commande n'y sont "
    "pas publiés). Lien « identifiant » : l'idAccordCadre du marché est l'identifiant attendu du lot (casse, "
    "espaces et séparateurs ignorés). Lien « probable » : acheteur parmi les bénéficiaires nommés du lot, titulaire "
    "parmi ses titulaires nommés (membres de groupement compris), code CPV de la division 72 (services "
    "informatiques) et notification pendant la durée du lot. Sans titulaires ni bénéficiaires publiés pour le lot, "
    "aucun lien probable n'est possible."
)


def identifier_key(value: pl.Expr) -> pl.Expr:
    """Identifier compared without case, spaces or separators: "25_bam 044-ac02" equals "25BAM044AC02"."""
    return value.str.to_uppercase().str.replace_all(r"[\s_\-./]+", "")


def _key(value: str) -> str:
    return pl.select(identifier_key(pl.lit(value))).item()


def name_lookup(entries: list[tuple[str, str]]) -> pl.DataFrame:
    """(name, label) pairs to normalised keys, longest key first so the most specific name wins."""
    frame = pl.DataFrame(entries, schema={"name": pl.String(), "label": pl.String()}, orient="row")
    return (
        frame.with_columns(key=match_key_expr(pl.col("name")))
        .filter(pl.col("key") != "")
        .unique("key", keep="first", maintain_order=True)
        .sort(pl.col("key").str.len_chars(), descending=True)
        .select("key", "label")
    )


def match_by_name(frame: pl.DataFrame, name_column: str, lookup: pl.DataFrame, out: str) -> pl.DataFrame:
    """Add `out`: the label of the first registry name equal to, or a leading word group of, the normalised name."""
    if lookup.is_empty() or frame.is_empty():
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias(out))
    keyed = frame.with_row_index("_row").with_columns(_name_key=match_key_expr(pl.col(name_column)))
    matches = (
        keyed.select("_row", "_name_key")
        .join(lookup, how="cross")
        .filter((pl.col("_name_key") == pl.col("key")) | pl.col("_name_key").str.starts_with(pl.col("key") + " "))
        .group_by("_row", maintain_order=True)
        .agg(pl.col("label").first().alias(out))
    )
    return keyed.join(matches, on="_row", how="left", maintain_order="left").drop("_row", "_name_key")


def _sirens(ids: list[str | None]) -> list[str]:
    return sorted({value[:9] for value in ids if value})


def _lookups(parties: list[tuple[str, list[str], str | None, str | None]]) -> dict[str, list[tuple[str, str]]]:
    """(label, names, siret, siren) of registry parties to the (name, label) and (siren, label) pairs to match."""
    return {
        "names": [(name, label) for label, names, _, _ in parties for name in names],
        "ids": [(siren, label) for label, _, siret, siren_ in parties for siren in _sirens([siret, siren_])],
    }


def _match_party(
    contracts: pl.DataFrame,
    *,
    id_column: str | None,
    name_column: str,
    names: list[tuple[str, str]],
    ids: list[tuple[str, str]],
    out: str,
) -> pl.DataFrame:
    """Registry label of a party: by SIREN when the registry knows it (and `id_column` is given), else by name."""
    by_id = pl.DataFrame(ids, schema={"_siren": pl.String(), "_id_match": pl.String()}, orient="row")
    named = match_by_name(contracts, name_column, name_lookup(names), "_name_match")
    siren = pl.col(id_column).str.slice(0, 9) if id_column else pl.lit(None, dtype=pl.String)
    return (
        named.with_columns(_siren=siren)
        .join(by_id, on="_siren", how="left", maintain_order="left")
        .with_columns(pl.coalesce("_id_match", "_name_match").alias(out))
        .drop("_siren", "_id_match", "_name_match")
    )


def with_holder_group(
    frame: pl.DataFrame,
    holders: list[Holder],
    *,
    id_column: str | None = "holder_id",
    name_column: str = "holder_name",
) -> pl.DataFrame:
    """Add `awardee_group`: the registry holder (consortium label) a holder name or SIRET belongs to, or null."""
    parties = [(h.name, h.all_names, h.siret, h.siren) for h in holders]
    return _match_party(frame, id_column=id_column, name_column=name_column, out="awardee_group", **_lookups(parties))


def with_beneficiary(
    frame: pl.DataFrame,
    beneficiaries: list[Beneficiary],
    *,
    id_column: str | None = "buyer_id",
    name_column: str = "buyer_name",
) -> pl.DataFrame:
    """Add `beneficiary`: the registry beneficiary a buyer name (or alias) or SIRET designates, or null."""
    parties = [(b.name, [b.name, *b.aliases], b.siret, b.siren) for b in beneficiaries]
    return _match_party(frame, id_column=id_column, name_column=name_column, out="beneficiary", **_lookups(parties))


def _probable(contracts: pl.DataFrame, lot: Lot) -> pl.Series:
    """Whether each contract probably belongs to this lot (see LINK_RULE_FR)."""
    checked = with_beneficiary(with_holder_group(contracts, lot.named_holders), lot.named_beneficiaries)
    start, end = lot.term.start, lot.term.end
    in_term = pl.col("notification_date").is_between(pl.lit(start), pl.lit(end)) if start and end else pl.lit(False)
    return checked.select(
        (
            pl.col("beneficiary").is_not_null()
            & pl.col("awardee_group").is_not_null()
            & pl.col("cpv_code").str.starts_with(IT_SERVICES_CPV_PREFIX).fill_null(False)
            & in_term.fill_null(False)
        ).alias("probable")
    ).to_series()


def _lot_by_identifier(framework: Framework) -> pl.Expr:
    keys = {_key(lot.decp.expected_id): lot.id for lot in framework.lots if lot.decp.expected_id}
    return identifier_key(pl.col("framework_id")).replace_strict(keys, default=None, return_dtype=pl.String)


def per_lot(frame: pl.DataFrame, lots: list[Lot], enrich: Callable[[pl.DataFrame, Lot], pl.DataFrame]) -> pl.DataFrame:
    """Apply `enrich` to the rows of each lot (`lot_id`), keeping the row order; rows of no listed lot are dropped."""
    indexed = frame.with_row_index("_order")
    parts = [enrich(indexed.filter(pl.col("lot_id") == lot.id), lot) for lot in lots]
    return pl.concat(parts, how="vertical").sort("_order").drop("_order")


def link_to_framework(contracts: pl.DataFrame, framework: Framework, include_probable: bool) -> pl.DataFrame:
    """Contracts linked to a lot of the framework, with `lot_id`, `link`, `link_reason_fr`, `beneficiary`,
    `awardee_group`.

    Unlinked contracts are dropped. A contract with the lot's identifier is "identifiant" even when the probable
    rule would also hold; a probable contract goes to the first lot (registry order) whose rule holds.
    """
    candidates = [lot for lot in framework.lots if not lot.by_orders and lot.named_holders and lot.named_beneficiaries]
    frame = contracts.with_columns(_id_lot=_lot_by_identifier(framework))
    probable_lot = pl.lit(None, dtype=pl.String)
    if include_probable and candidates and not frame.is_empty():
        frame = frame.with_columns(_probable(frame, lot).alias(f"_probable_{i}") for i, lot in enumerate(candidates))
        probable_lot = pl.coalesce(
            pl.when(pl.col(f"_probable_{i}")).then(pl.lit(lot.id)) for i, lot in enumerate(candidates)
        )
    linked = (
        frame.with_columns(
            lot_id=pl.coalesce(pl.col("_id_lot"), probable_lot),
            link=pl.when(pl.col("_id_lot").is_not_null())
            .then(pl.lit(LINK_IDENTIFIER))
            .when(probable_lot.is_not_null())
            .then(pl.lit(LINK_PROBABLE)),
        )
        .filter(pl.col("lot_id").is_not_null())
        .drop(cs.starts_with("_probable_") | cs.by_name("_id_lot"))
    )
    # holders are matched against the contract's own lot only (lists differ by lot)
    grouped = per_lot(linked, framework.lots, lambda rows, lot: with_holder_group(rows, lot.named_holders))
    enriched = with_beneficiary(grouped, framework.beneficiaries)
    reason = (
        pl.when(pl.col("link") == LINK_IDENTIFIER)
        .then(pl.format("idAccordCadre « {} » : identifiant attendu du lot {}", "framework_id", "lot_id"))
        .otherwise(
            pl.format(
                "acheteur « {} » parmi les bénéficiaires ({}) ; "
                "titulaire « {} » parmi les titulaires du lot {} ({}) ; "
                "CPV {} (services informatiques) ; notifié le {}, pendant la durée du lot",
                pl.col("buyer_name"),
                pl.col("beneficiary"),
                pl.col("holder_name"),
                pl.col("lot_id"),
                pl.col("awardee_group"),
                pl.col("cpv_code"),
                pl.col("notification_date"),
            )
        )
    )
    return enriched.with_columns(link_reason_fr=reason)
