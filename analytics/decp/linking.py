"""Which contracts belong to a framework: by its DECP identifier, or probably (buyer, holder, CPV, date).

`idAccordCadre` is the buyer's own reference and often empty in subsequent contracts, hence the second,
weaker rule; its result is labelled "probable" and every link carries its reason in French.
"""

from __future__ import annotations

import polars as pl

from analytics.decp.frameworks import Framework
from analytics.text import match_key_expr

LINK_IDENTIFIER = "identifiant"
LINK_PROBABLE = "probable"
IT_SERVICES_CPV_PREFIX = "72"  # CPV division 72: IT services (consulting, development, support)
LINK_RULE_FR = (
    "Lien « identifiant » : l'idAccordCadre du marché est un identifiant connu de l'accord-cadre. "
    "Lien « probable » : acheteur parmi les bénéficiaires connus, titulaire parmi les attributaires "
    "(membres de groupement compris), code CPV de la division 72 (services informatiques) et notification "
    "pendant la durée de l'accord-cadre. Sans liste de bénéficiaires publiée, aucun lien probable "
    "n'est possible."
)


def _identifier_key(value: pl.Expr) -> pl.Expr:
    return value.str.to_uppercase().str.replace_all(r"\s+", "")


def _name_lookup(entries: list[tuple[str, str]]) -> pl.DataFrame:
    """(name, label) pairs to normalised keys, longest key first so the most specific name wins."""
    frame = pl.DataFrame(entries, schema={"name": pl.String(), "label": pl.String()}, orient="row")
    return (
        frame.with_columns(key=match_key_expr(pl.col("name")))
        .filter(pl.col("key") != "")
        .unique("key", keep="first", maintain_order=True)
        .sort(pl.col("key").str.len_chars(), descending=True)
        .select("key", "label")
    )


def _match_by_name(frame: pl.DataFrame, name_column: str, lookup: pl.DataFrame, out: str) -> pl.DataFrame:
    """Label of the first registry name equal to, or a leading word group of, the normalised name."""
    if lookup.is_empty():
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


def _match_party(
    contracts: pl.DataFrame,
    *,
    id_column: str,
    name_column: str,
    names: list[tuple[str, str]],
    ids: list[tuple[str, str]],
    out: str,
) -> pl.DataFrame:
    """Registry label of a contract party: by SIREN when the registry knows it, else by normalised name."""
    by_id = pl.DataFrame(ids, schema={"_siren": pl.String(), "_id_match": pl.String()}, orient="row")
    named = _match_by_name(contracts, name_column, _name_lookup(names), "_name_match")
    return (
        named.with_columns(_siren=pl.col(id_column).str.slice(0, 9))
        .join(by_id, on="_siren", how="left", maintain_order="left")
        .with_columns(pl.coalesce("_id_match", "_name_match").alias(out))
        .drop("_siren", "_id_match", "_name_match")
    )


def with_awardee_group(contracts: pl.DataFrame, framework: Framework) -> pl.DataFrame:
    """Add `awardee_group`: the registry awardee (consortium label) of the lead holder, or null."""
    awardees = framework.awardees
    return _match_party(
        contracts,
        id_column="holder_id",
        name_column="holder_name",
        names=[(name, awardee.name) for awardee in awardees for name in awardee.all_names],
        ids=[(siren, awardee.name) for awardee in awardees for siren in _sirens([awardee.siret, awardee.siren])],
        out="awardee_group",
    )


def _with_beneficiary(contracts: pl.DataFrame, framework: Framework) -> pl.DataFrame:
    beneficiaries = framework.beneficiaries
    return _match_party(
        contracts,
        id_column="buyer_id",
        name_column="buyer_name",
        names=[(name, b.name) for b in beneficiaries for name in (b.name, *b.aliases)],
        ids=[(siren, b.name) for b in beneficiaries for siren in _sirens([b.siret, b.siren])],
        out="beneficiary",
    )


def link_to_framework(contracts: pl.DataFrame, framework: Framework, include_probable: bool) -> pl.DataFrame:
    """Contracts linked to the framework, with `link`, `link_reason_fr`, `beneficiary`, `awardee_group`.

    Unlinked contracts are dropped. A contract with a known identifier is "identifiant" even when the
    probable rule would also hold.
    """
    known_ids = [value.upper().replace(" ", "") for value in framework.decp_framework_ids]
    by_identifier = _identifier_key(pl.col("framework_id")).is_in(known_ids).fill_null(False)
    enriched = _with_beneficiary(with_awardee_group(contracts, framework), framework)
    in_term = (
        pl.col("notification_date").is_between(pl.lit(framework.start_date), pl.lit(framework.end_date))
        if framework.start_date and framework.end_date
        else pl.lit(False)
    )
    probable = (
        pl.col("beneficiary").is_not_null()
        & pl.col("awardee_group").is_not_null()
        & pl.col("cpv_code").str.starts_with(IT_SERVICES_CPV_PREFIX).fill_null(False)
        & in_term.fill_null(False)
    )
    link = (
        pl.when(by_identifier)
        .then(pl.lit(LINK_IDENTIFIER))
        .when(pl.lit(include_probable) & probable)
        .then(pl.lit(LINK_PROBABLE))
        .otherwise(None)
    )
    reason = (
        pl.when(pl.col("link") == LINK_IDENTIFIER)
        .then(pl.format("idAccordCadre « {} » : identifiant connu de l'accord-cadre", pl.col("framework_id")))
        .when(pl.col("link") == LINK_PROBABLE)
        .then(
            pl.format(
                "acheteur « {} » parmi les bénéficiaires ({}) ; "
                "titulaire « {} » parmi les attributaires ({}) ; "
                "CPV {} (services informatiques) ; notifié le {}, pendant la durée de l'accord-cadre",
                pl.col("buyer_name"),
                pl.col("beneficiary"),
                pl.col("holder_name"),
                pl.col("awardee_group"),
                pl.col("cpv_code"),
                pl.col("notification_date"),
            )
        )
        .otherwise(None)
    )
    return enriched.with_columns(link=link).filter(pl.col("link").is_not_null()).with_columns(link_reason_fr=reason)
