"""Briefing section of the Marchés subséquents page, behind one function (`contracts_section`).

The DECP models are being reworked: this module reads only `ContractsView`, what the page already has
(the contracts linked to the chosen framework, after its ministry filter), and the `analytics.decp.spend`
functions, so that adapting it means changing this file alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from analytics import charts
from analytics.briefing.model import PAGE_TITLES, Chart, DataSource, KeyFigures, Note, Section
from analytics.briefing.tables import frame_table
from analytics.decp import SIMULATED_NOTICE_FR
from analytics.decp.charts import burn_up_chart
from analytics.decp.frameworks import Framework
from analytics.decp.linking import LINK_RULE_FR
from analytics.decp.normalise import AMOUNT_RULE_FR
from analytics.decp.spend import (
    PACE_METHOD_FR,
    burn_up,
    by_beneficiary,
    concentration,
    contract_sizes,
    largest_contracts,
    pace,
)
from analytics.formatting import format_eur_as_meur, format_number, format_pct
from analytics.key_figures import KeyFigure

LARGEST = 10
UNAVAILABLE_FR = "Données des marchés non transmises au dossier : section sans contenu."


@dataclass(frozen=True)
class ContractsView:
    """What the Marchés subséquents page shows, as it computed it."""

    linked: pl.DataFrame  # `link_to_framework` output, the page's ministry filter applied
    framework: Framework
    source_label: str  # e.g. "Données simulées (scénario embarqué)"
    as_of: date
    simulated: bool

    @property
    def source(self) -> DataSource:
        return DataSource(
            label=f"Marchés subséquents (DECP) : {self.source_label}",
            date=f"arrêtés au {self.as_of:%d/%m/%Y}",
            simulated=self.simulated,
        )


def _share(part: float, whole: float | None) -> str:
    """A share of a published amount; said « non publié » rather than a bare dash when the amount is not."""
    return format_pct(part / whole) if whole else "non publié"


def contract_key_figures(linked: pl.DataFrame, framework: Framework) -> list[KeyFigure]:
    """The page's key figures: notified total, share of estimate and maximum, sizes, concentration."""
    sizes, top = contract_sizes(linked), concentration(linked)
    return [
        KeyFigure(label="Montant notifié cumulé", value=format_eur_as_meur(sizes.total_eur)),
        KeyFigure(label="Part de l'estimation", value=_share(sizes.total_eur, framework.estimated_amount_eur)),
        KeyFigure(label="Part du maximum", value=_share(sizes.total_eur, framework.maximum_amount_eur)),
        KeyFigure(label="Nombre de marchés", value=format_number(sizes.contracts, 0)),
        KeyFigure(
            label="Taille moyenne / médiane",
            value=f"{format_eur_as_meur(sizes.mean_eur, 2)} / {format_eur_as_meur(sizes.median_eur, 2)}",
        ),
        KeyFigure(
            label="Part du 1er titulaire",
            value=format_pct(top.top1_share),
            delta=top.top_contractor,
        ),
    ]


def _content(view: ContractsView) -> list:
    linked, framework = view.linked, view.framework
    tag = {"simulated": view.simulated}
    blocks: list = [KeyFigures(figures=tuple(contract_key_figures(linked, framework)), caption="Montants notifiés.")]
    burn = burn_up(linked, framework, view.as_of)
    chart = burn_up_chart(
        burn,
        estimate_eur=framework.estimated_amount_eur,
        maximum_eur=framework.maximum_amount_eur,
        start=framework.start_date,
        end=framework.end_date,
    )
    blocks.append(Chart(title="Consommation de l'accord-cadre", spec=chart.to_dict(validate=False), **tag))
    now = pace(linked, framework, view.as_of)
    blocks.append(
        Note(
            text=f"Rythme moyen : {format_eur_as_meur(now.monthly_pace_eur, 2)} par mois. "
            f"{now.estimate.message_fr} {now.maximum.message_fr}"
        )
    )
    beneficiaries = by_beneficiary(linked).with_columns(pl.col("buyer_name").fill_null(pl.col("buyer_id")))
    blocks.append(
        Chart(
            title="Montant notifié par bénéficiaire",
            spec=charts.bar_chart(
                beneficiaries.with_columns(pl.col("notified_eur") / 1e6),
                "buyer_name",
                "notified_eur",
                category_title="Acheteur",
                value_title="Montant notifié (M€)",
            ).to_dict(validate=False),
            **tag,
        )
    )
    largest = largest_contracts(linked, LARGEST).select(
        pl.col("notification_date").alias("Notifié le"),
        pl.col("buyer_name").alias("Acheteur"),
        pl.col("holder_name").alias("Titulaire"),
        pl.col("object").alias("Objet"),
        (pl.col("amount_eur") / 1e6).alias("Montant"),
        pl.col("link").alias("Rattachement"),
    )
    blocks.append(frame_table(largest, "Plus gros marchés", {"Notifié le": "date", "Montant": "money"}, **tag))
    return blocks


def contracts_section(view: ContractsView | None) -> Section:
    """Key figures, consumption, pace, beneficiaries and largest contracts of the chosen framework."""
    if view is None:
        return Section(
            page="marches",
            title=PAGE_TITLES["marches"],
            sources=(),
            blocks=(Note(text=UNAVAILABLE_FR, tone="warning"),),
        )
    blocks: list = [Note(text=SIMULATED_NOTICE_FR, tone="simulated")] if view.simulated else []
    if view.linked.is_empty():
        blocks.append(Note(text="Aucun marché rattaché à cet accord-cadre dans les données et les filtres choisis."))
    else:
        blocks.extend(_content(view))
    blocks.append(Note(text=f"Montants : {AMOUNT_RULE_FR} Rattachement : {LINK_RULE_FR} Rythme : {PACE_METHOD_FR}"))
    return Section(
        page="marches",
        title=PAGE_TITLES["marches"],
        subtitle=f"{view.framework.title} · montants notifiés, pas payés",
        sources=(view.source,),
        blocks=tuple(blocks),
    )
