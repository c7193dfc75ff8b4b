"""What the framework page says about each lot and the whole: key figures, published amounts, their sources.

Pure wording of `lot_spend.framework_spend` results and registry facts, so that every reader (page, briefing) says
the same thing. A value the documents do not give is said in words with where it is said — « sans maximum (CCAP
art. 2.4.1) », « non publié (documentation) » — never as a bare dash.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl
from pydantic import BaseModel, ConfigDict

from analytics.decp.frameworks import Fact, Framework, Lot
from analytics.decp.lot_spend import TOTAL_ID, FrameworkSpend, LotSpend, PublishedComparison
from analytics.decp.spend import PACE_METHOD_FR, TargetProjection
from analytics.formatting import format_eur_as_meur, format_number, format_pct
from analytics.key_figures import KeyFigure

SOURCE_SHORT_FR: dict[str, str] = {
    "cahier des charges": "CCAP",
    "documentation": "documentation beta.gouv.fr",
    "jeu de données": "data.gouv.fr",
    "presse": "presse",
}
NOT_LOADED_FR = "source non chargée"
TOTAL_SHORT_FR = "ensemble"
CEILING_WORDS_FR = {"estimate": ("estimation", "montant estimatif"), "maximum": ("maximum", "maximum")}


def series_short(lot: Lot | None) -> str:
    """« lot 1 », « lot unique », « ensemble »: how a figure's label names its series."""
    if lot is None:
        return TOTAL_SHORT_FR
    return f"lot {lot.number}" if lot.number is not None else "lot unique"


def where_fr(framework: Framework, fact: Fact, *, short: bool = True) -> str:
    """Where a fact is written: « CCAP art. 2.4.1 » (short) or « CCAP …, article 2.4.1, page 5 » (long)."""
    source = framework.source(fact.source)
    if not short:
        return f"{source.title}, {fact.at}" if fact.at else source.title
    name = SOURCE_SHORT_FR[source.kind]
    article = re.search(r"articles? ([0-9][0-9.]*[0-9]|[0-9])", fact.at or "")
    return f"{name} art. {article[1]}" if article else name


def ceiling_absent_fr(framework: Framework, fact: Fact, ceiling: str) -> str:
    """An estimate or maximum the documents do not give: the contract itself setting none (« sans maximum ») or
    a figure nobody published (« non publié »), with where this is said."""
    where = where_fr(framework, fact)
    if framework.source(fact.source).kind == "cahier des charges":
        return f"sans {CEILING_WORDS_FR[ceiling][1]} ({where})"
    return f"non publié ({where})"


class SeriesFigures(BaseModel):
    """The key figures of one lot or of the whole framework, each a `KeyFigure` whose label names the series."""

    model_config = ConfigDict(frozen=True)

    series_id: str  # a lot id or lot_spend.TOTAL_ID
    title_fr: str  # « Lot 1 (25_BAM_044_AC01) », « Ensemble de l'accord-cadre »
    execution_fr: str  # « bons de commande », « marchés subséquents », or both for the total
    source_fr: str
    committed: KeyFigure
    share_of_estimate: KeyFigure
    share_of_maximum: KeyFigure
    pace: KeyFigure
    estimate_reached: KeyFigure
    maximum_reached: KeyFigure

    def figures(self, meeting: bool) -> list[KeyFigure]:
        """In display order; four in meeting mode."""
        if meeting:
            return [self.committed, self.share_of_estimate, self.share_of_maximum, self.maximum_reached]
        return [
            self.committed,
            self.share_of_estimate,
            self.share_of_maximum,
            self.pace,
            self.estimate_reached,
            self.maximum_reached,
        ]


def _reached(label: str, projection: TargetProjection | None, absent: str, end: date | None) -> KeyFigure:
    """When a ceiling is (or would be) reached at the observed pace, against the term."""
    if projection is None:
        return KeyFigure(label=label, value=NOT_LOADED_FR, help="Aucune donnée chargée pour la source de ce lot.")
    help_text = projection.message_fr
    if projection.status == "projected":
        side = "après" if projection.after_term else "avant"
        delta = f"{side} la fin au plus tard ({end:%d/%m/%Y})" if end else None
        return KeyFigure(label=label, value=f"{projection.projected_date:%d/%m/%Y}", delta=delta, help=help_text)
    if projection.status == "already_reached":
        return KeyFigure(
            label=label, value="déjà atteint", delta=f"le {projection.reached_on:%d/%m/%Y}", help=help_text
        )
    words = {"target_unknown": absent, "zero_pace": "jamais à ce rythme", "pace_unknown": "rythme non calculable"}
    return KeyFigure(label=label, value=words[projection.status], help=help_text)


def _share(label: str, spend: LotSpend, share: float | None, amount: float | None, absent: str, where: str):
    """`where`: where the amount is written, or why there is none."""
    if amount is None:
        return KeyFigure(label=label, value=absent, help=where)
    if spend.committed_eur is None or share is None:
        return KeyFigure(label=label, value=NOT_LOADED_FR, help=" ".join(spend.notes_fr))
    return KeyFigure(label=label, value=format_pct(share), help=f"De {format_eur_as_meur(amount, 0)} HT ({where}).")


def _committed(label: str, spend: LotSpend, unit: str, simulated: bool) -> KeyFigure:
    stamp = ["Données simulées."] if simulated else []
    if spend.committed_eur is None:
        return KeyFigure(label=label, value=NOT_LOADED_FR, help=" ".join([f"{spend.source_fr}.", *spend.notes_fr]))
    counted = f"Source : {spend.source_fr} ; {format_number(spend.items, 0)} {unit} compté(s)."
    return KeyFigure(
        label=label, value=format_eur_as_meur(spend.committed_eur), help=" ".join([counted, *spend.notes_fr, *stamp])
    )


def _pace(label: str, spend: LotSpend) -> KeyFigure:
    if spend.pace is None:
        return KeyFigure(label=label, value=NOT_LOADED_FR, help=" ".join(spend.notes_fr))
    monthly = spend.pace.monthly_pace_eur
    if monthly is None:
        return KeyFigure(label=label, value="non calculable", help=PACE_METHOD_FR)
    elapsed = format_number(spend.pace.elapsed_months, 1)
    return KeyFigure(
        label=label,
        value=f"{format_eur_as_meur(monthly, 2)} / mois",
        help=f"Sur {elapsed} mois écoulés depuis le {spend.term_start:%d/%m/%Y}. {PACE_METHOD_FR}",
    )


def _ceiling_figures(spend: LotSpend, short: str, absent: dict[str, str], where: dict[str, str]) -> dict:
    """Shares of the estimate and maximum, pace, and when each ceiling is reached, as SeriesFigures fields."""
    pace = spend.pace
    return {
        "share_of_estimate": _share(
            f"Part de l'estimation · {short}",
            spend,
            spend.share_of_estimate,
            spend.estimate_eur,
            absent["estimate"],
            where["estimate"],
        ),
        "share_of_maximum": _share(
            f"Part du maximum · {short}",
            spend,
            spend.share_of_maximum,
            spend.maximum_eur,
            absent["maximum"],
            where["maximum"],
        ),
        "pace": _pace(f"Rythme observé · {short}", spend),
        "estimate_reached": _reached(
            f"Estimation atteinte · {short}", pace.estimate if pace else None, absent["estimate"], spend.term_end
        ),
        "maximum_reached": _reached(
            f"Maximum atteint · {short}", pace.maximum if pace else None, absent["maximum"], spend.term_end
        ),
    }


def _lot_series(framework: Framework, lot: Lot, spend: LotSpend, simulated: bool) -> SeriesFigures:
    short = series_short(lot)
    facts = {"estimate": lot.estimate_eur, "maximum": lot.maximum_eur}
    absent = {name: ceiling_absent_fr(framework, fact, name) for name, fact in facts.items()}
    where = {
        name: f"{fact.why_none} ({where_fr(framework, fact, short=False)})"
        if fact.value is None
        else where_fr(framework, fact, short=False)
        for name, fact in facts.items()
    }
    unit = "bon(s) de commande" if lot.by_orders else "marché(s) subséquent(s)"
    return SeriesFigures(
        series_id=lot.id,
        title_fr=lot.label_fr,
        execution_fr=str(lot.execution.value),
        source_fr=spend.source_fr,
        committed=_committed(f"Engagé · {short}", spend, unit, simulated),
        **_ceiling_figures(spend, short, absent, where),
    )


def _total_series(framework: Framework, spend: LotSpend, simulated: bool) -> SeriesFigures:
    absent, where = {}, {}
    for name, attribute in (("estimate", "estimate_eur"), ("maximum", "maximum_eur")):
        missing = [series_short(lot) for lot in framework.lots if getattr(lot, attribute).value is None]
        absent[name] = f"non calculable ({', '.join(missing)} : {CEILING_WORDS_FR[name][0]} non publiée)"
        where[name] = "somme des lots ; " + " ; ".join(
            f"{series_short(lot)} : {where_fr(framework, getattr(lot, attribute), short=False)}"
            for lot in framework.lots
        )
    return SeriesFigures(
        series_id=TOTAL_ID,
        title_fr=spend.label_fr,
        execution_fr=" et ".join(sorted({str(lot.execution.value) for lot in framework.lots})),
        source_fr=spend.source_fr,
        committed=_committed(f"Engagé · {TOTAL_SHORT_FR}", spend, "engagement(s)", simulated),
        **_ceiling_figures(spend, TOTAL_SHORT_FR, absent, where),
    )


def series_figures(framework: Framework, spend: FrameworkSpend, simulated: dict[str, bool]) -> list[SeriesFigures]:
    """Each lot's figures, then the whole framework's when it has several lots.

    `simulated`: whether each lot's source holds simulated data (lot id -> flag), stamped on its committed figure.
    """
    lots = [
        _lot_series(framework, lot, lot_spend, simulated.get(lot.id, False))
        for lot, lot_spend in zip(framework.lots, spend.lots, strict=True)
    ]
    if len(framework.lots) == 1:
        return lots
    return [*lots, _total_series(framework, spend.total, any(simulated.values()))]


def meeting_table(series: list[SeriesFigures]) -> pl.DataFrame:
    """One row per lot and the total with the four meeting figures as the cards write them (texts), so that a
    projector shows every lot on one screen; a figure's comparison (« après la fin au plus tard … ») follows it."""

    def cell(figure: KeyFigure) -> str:
        return f"{figure.value}, {figure.delta}" if figure.delta else figure.value

    columns: dict[str, list[str]] = {
        "Lot": [item.title_fr for item in series],
        "Exécution": [item.execution_fr for item in series],
    }
    for index, figure in enumerate(series[0].figures(meeting=True) if series else []):
        columns[figure.label.split(" · ")[0]] = [cell(item.figures(meeting=True)[index]) for item in series]
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def series_ids(framework: Framework) -> list[str]:
    """The series the page can show one at a time: each lot, and the whole when there are several."""
    ids = [lot.id for lot in framework.lots]
    return ids if len(ids) == 1 else [TOTAL_ID, *ids]


PUBLISHED_SCHEMA: dict[str, pl.DataType] = {
    "series": pl.String(),
    "estimate": pl.String(),
    "maximum": pl.String(),
    "spent": pl.String(),
    "max_holders": pl.String(),
    "source": pl.String(),
    "url": pl.String(),
    "at": pl.String(),
}
NOT_GIVEN_FR = "non indiqué"


def _amount(value: float | None, approximate: bool = False) -> str:
    if value is None:
        return NOT_GIVEN_FR
    return ("environ " if approximate else "") + format_eur_as_meur(value, 0)


def published_amounts(framework: Framework) -> pl.DataFrame:
    """Every published set of amounts, one row each with its source (PUBLISHED_SCHEMA): the documents lot by lot,
    their sum, then the figures published elsewhere (press), so that the page shows each set beside the others."""
    rows = []
    for lot in framework.lots:
        estimate, maximum = lot.estimate_eur, lot.maximum_eur
        source = framework.source(estimate.source)
        rows.append(
            (
                f"{lot.label_fr} — {SOURCE_SHORT_FR[source.kind]}",
                _amount(estimate.value)
                if estimate.value is not None
                else ceiling_absent_fr(framework, estimate, "estimate"),
                _amount(maximum.value)
                if maximum.value is not None
                else ceiling_absent_fr(framework, maximum, "maximum"),
                NOT_GIVEN_FR,
                format_number(lot.max_holders.value, 0) if lot.max_holders.value is not None else NOT_GIVEN_FR,
                source.title,
                source.url,
                estimate.at,
            )
        )
    if len(framework.lots) > 1:
        first = framework.source(framework.lots[0].estimate_eur.source)
        rows.append(
            (
                f"Ensemble des lots (somme) — {SOURCE_SHORT_FR[first.kind]}",
                _amount(framework.estimated_amount_eur),
                _amount(framework.maximum_amount_eur),
                NOT_GIVEN_FR,
                format_number(framework.max_contractors, 0) if framework.max_contractors else NOT_GIVEN_FR,
                first.title,
                first.url,
                "; ".join(sorted({lot.estimate_eur.at for lot in framework.lots if lot.estimate_eur.at})),
            )
        )
    for figures in framework.published:
        source = framework.source(figures.source)
        rows.append(
            (
                figures.label,
                _amount(figures.estimate_eur, figures.approximate),
                _amount(figures.maximum_eur, figures.approximate),
                _amount(figures.spent_eur, figures.approximate)
                + (f" en {figures.period_months} mois" if figures.spent_eur and figures.period_months else ""),
                format_number(figures.max_holders, 0) if figures.max_holders else NOT_GIVEN_FR,
                source.title,
                source.url,
                figures.at,
            )
        )
    return pl.DataFrame(rows, schema=PUBLISHED_SCHEMA, orient="row")


def published_difference_fr(framework: Framework) -> str | None:
    """One sentence per published set whose estimate or maximum differs from the documents' (None: none differs)."""
    estimate, maximum = framework.estimated_amount_eur, framework.maximum_amount_eur
    if estimate is None and maximum is None:
        return None
    documents = framework.source(framework.lots[0].estimate_eur.source)
    per_lot = " ; ".join(
        f"{series_short(lot)} : {_amount(lot.estimate_eur.value)} et {_amount(lot.maximum_eur.value)}"
        for lot in framework.lots
    )
    sentences = []
    for figures in framework.published:
        announced = (figures.estimate_eur, figures.maximum_eur)
        if announced == (None, None) or announced == (estimate, maximum):
            continue
        sentences.append(
            f"Les deux séries de chiffres publiés diffèrent : « {documents.title} » fixe {_amount(estimate)} estimés "
            f"et {_amount(maximum)} au plus ({per_lot}) ; « {figures.label} » annonçait "
            f"{_amount(figures.estimate_eur, figures.approximate)} estimés et jusqu'à "
            f"{_amount(figures.maximum_eur, figures.approximate)} (source : {framework.source(figures.source).title})."
        )
    if not sentences:
        return None
    return " ".join(sentences) + " Les parts et les projections de cette page sont calculées sur les montants du CCAP."


def comparison_figures(comparison: PublishedComparison, previous: Framework) -> list[KeyFigure]:
    """The previous framework's published spend, its monthly pace, and how the observed pace compares."""
    about = "≈ " if comparison.approximate else ""
    where = f"{comparison.source_title}" + (f", {comparison.at}" if comparison.at else "")
    months = comparison.period_months
    period = f"en {months // 12} ans ({months} mois)" if months % 12 == 0 else f"en {months} mois"
    ratio = comparison.ratio
    name = previous.contract_number or previous.id
    return [
        KeyFigure(
            label=f"Dépense publiée de {name}",
            value=f"{about}{format_eur_as_meur(comparison.spent_eur, 0)}",
            delta=period,
            help=f"Accord-cadre précédent. {comparison.label_fr} Source : {where}.",
        ),
        KeyFigure(
            label=f"Rythme publié de {name}",
            value=f"{about}{format_eur_as_meur(comparison.monthly_pace_eur, 2)} / mois",
            help=f"Dépense publiée divisée par {months} mois. Source : {where}.",
        ),
        KeyFigure(
            label=f"Rythme observé / rythme de {name}",
            value=f"{format_number(ratio, 1)} fois" if ratio is not None else "non calculable",
            help=comparison.message_fr,
        ),
    ]
