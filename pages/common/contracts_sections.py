"""Sections of the « Accords-cadres agiles » page: consumption by lot, the previous framework's published spend,
published amounts, one series' chart and parties, sources and facts, uploads, data quality and configuration."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.decp.charts import burn_up_data
from analytics.decp.frameworks import Framework, Lot, facts_table
from analytics.decp.linking import LINK_RULE_FR
from analytics.decp.lot_figures import comparison_figures, published_amounts, published_difference_fr, series_figures
from analytics.decp.lot_parties import SOURCE_NAMES_FR, Party, parties, unnamed_note_fr
from analytics.decp.lot_spend import SPEND_RULE_FR, TOTAL_ID
from analytics.decp.normalise import AMOUNT_RULE_FR
from analytics.decp.orders import LEDGER_RULE_FR
from analytics.decp.readers import DecpSettings
from analytics.decp.spend import PACE_METHOD_FR
from analytics.display import Column, Kind, TableSpec, spec_from_formats
from analytics.exports import ExportContext
from analytics.formatting import escape_markdown as md
from analytics.formatting import format_eur_as_meur, format_month, format_number
from analytics.settings import from_environment
from pages.common import ui
from pages.common.contracts_data import UPLOAD_OUTCOME_KEY, render_upload_panel, show_verdict
from pages.common.framework_view import FrameworkView
from pages.common.orders_data import ORDERS_OUTCOME_KEY, render_orders_upload_panel

SIMULATED_FR = "Données simulées"
SPEND_SOURCE_FR = {True: "registre des bons de commande (montant HT)", False: "DECP (montant notifié)"}  # by orders
LINK_COLUMN = "Lien"
BURN_UP_LEGEND_FR = (
    "Trait plein : montant engagé cumulé, mois par mois, jusqu'à la date d'arrêt. Tirets : projection au rythme "
    "observé, jusqu'à l'atteinte du maximum (le lot prend alors fin, CCAP article 4) ou la fin au plus tard. "
    "Lignes rouges : estimation et maximum du CCAP. Repères verticaux : début, fin de la période ferme, fin au plus "
    "tard (reconductions comprises) et, en orange, les dates où un plafond est ou serait atteint."
)
REFERENCE_LEGEND_FR = (
    "Pointillés gris : le rythme publié de l'accord-cadre précédent (sa dépense publiée répartie sur sa durée), "
    "tracé depuis le début de celui-ci pour comparaison."
)


def _stamp(simulated: bool) -> str:
    return f" · {SIMULATED_FR}" if simulated else ""


def _start_fr(lot: Lot, plural: bool = False) -> str:
    notified = lot.term.notified
    ending = "s" if plural else ""
    if notified.value is None:
        bounds = [f"au plus tôt le {d:%d/%m/%Y}" for d in [notified.earliest] if d]
        bounds += [f"au plus tard le {d:%d/%m/%Y}" for d in [notified.latest] if d]
        return "notification non publiée" + (f" ({', '.join(bounds)})" if bounds else "")
    if notified.precision == "month":
        return f"notifié{ending} en {format_month(notified.value)}"
    return f"notifié{ending} le {notified.value:%d/%m/%Y}"


def _term_fr(lot: Lot, plural: bool = False) -> str:
    months = lot.term.max_months.value
    duration = f", {months} mois au plus" if months else ""
    end = f", fin au plus tard le {lot.term.end:%d/%m/%Y}" if lot.term.end else ""
    return f"{_start_fr(lot, plural)}{duration}{end}"


def heading(view: FrameworkView) -> None:
    """What the framework is, its lots' execution and term, and where each figure of the page comes from."""
    framework = view.framework
    terms: dict[str, list[Lot]] = {}
    for lot in framework.lots:
        terms.setdefault(_term_fr(lot), []).append(lot)
    lots = " ; ".join(
        ", ".join(f"{md(lot.label_fr)} par {md(str(lot.execution.value))}" for lot in same)
        + f" : {_term_fr(same[0], plural=len(same) > 1)}"
        for same in terms.values()
    )
    st.markdown(
        f"**{md(framework.title)}** — consultation {md(framework.contract_number)}, {md(framework.buyer.value)}. "
        f"{lots}."
    )
    contracts, orders = view.contracts, view.orders
    st.caption(
        f"Marchés subséquents : {md(contracts.label_fr)}, arrêtés au {contracts.as_of:%d/%m/%Y} · bons de "
        f"commande : {md(orders.label_fr)}, arrêtés au {orders.as_of:%d/%m/%Y} · calculs au {view.as_of:%d/%m/%Y}. "
        "Montants notifiés (DECP) et montants HT des bons de commande : des engagements, pas des paiements."
    )


def key_figures(view: FrameworkView) -> None:
    """Each lot's and the whole framework's committed amount, shares of the ceilings, pace and projected dates."""
    st.header("Consommation par lot")
    series = series_figures(view.framework, view.spend, view.simulated_by_lot)
    simulated = view.simulated_by_lot
    columns = len(series) if len(series) > 1 else 3
    heads = st.columns(len(series))
    for head, item in zip(heads, series, strict=True):
        lots = list(simulated) if item.series_id == TOTAL_ID else [item.series_id]
        names = sorted({SPEND_SOURCE_FR[view.framework.lot(lot).by_orders] for lot in lots})
        head.markdown(f"**{md(item.title_fr)}**")
        head.caption(
            f"{md(item.execution_fr.capitalize())} · source : {' + '.join(names)}"
            f"{_stamp(any(simulated[lot] for lot in lots))}"
        )
    shown = [item.figures(meeting=False) for item in series]
    ordered = [figures[index] for index in range(len(shown[0])) for figures in shown]
    ui.key_figures(ordered, columns)
    st.caption(md(SPEND_RULE_FR))


def comparison(view: FrameworkView) -> None:
    """The previous framework's published spend, named as such, against the observed pace."""
    previous, compared = view.previous, view.spend.comparison
    if previous is None:
        st.caption("Pas d'accord-cadre précédent dans le registre : aucune comparaison.")
        return
    if compared is None:
        st.caption(
            f"L'accord-cadre précédent ({md(previous.contract_number)}) n'a pas de dépense publiée avec sa durée : "
            "aucune comparaison."
        )
        return
    st.subheader(f"Comparaison : dépense publiée de l'accord-cadre précédent ({md(previous.contract_number)})")
    ui.key_figures(comparison_figures(compared, previous), 3)
    st.markdown(f"{md(compared.message_fr)} [Ouvrir la source]({compared.source_url})")


def _link_table(table: pl.DataFrame, context: ExportContext, key: str) -> None:
    """Text cells as written (`–` when empty), the `Lien` column as a link a user can open (its address in files)."""
    spec = TableSpec(
        columns=tuple(
            Column(field=name, header=name, kind=Kind.LINK if name == LINK_COLUMN else Kind.TEXT)
            for name in table.columns
        )
    )
    ui.show_spec_table(table, spec, context=context, download_key=key)


def published(framework: Framework, context: ExportContext) -> None:
    """Every published set of amounts with its source, and a sentence when they differ."""
    st.subheader("Montants publiés")
    table = published_amounts(framework).rename(
        {
            "series": "Chiffres",
            "estimate": "Montant estimatif (HT)",
            "maximum": "Montant maximum (HT)",
            "spent": "Dépense publiée",
            "max_holders": "Titulaires au plus",
            "source": "Source",
            "url": LINK_COLUMN,
            "at": "Où",
        }
    )
    _link_table(
        table, context.model_copy(update={"title": f"Montants publiés : {framework.title}"}), "dl_contracts_published"
    )
    sentence = published_difference_fr(framework)
    if sentence:
        st.info(md(sentence), icon=":material/compare_arrows:")


PARTY_TITLES_FR: dict[Party, tuple[str, str, str]] = {
    "holder": ("Titulaires", "Titulaire", "Membres du groupement"),
    "beneficiary": ("Bénéficiaires", "Bénéficiaire", "Autres noms"),
}


def _parties(view: FrameworkView, lot_ids: list[str], party: Party, context: ExportContext) -> None:
    title, singular, also = PARTY_TITLES_FR[party]
    st.subheader(title)
    for note in unnamed_note_fr(view.framework, party, lot_ids):
        st.caption(md(note))
    shown = ui.shared(
        f"parties:{party}:{','.join(lot_ids)}",
        lambda: parties(view.framework, view.rows, party, lot_ids).with_columns(
            pl.when(pl.col("in_registry"))
            .then(pl.lit("oui"))
            .otherwise(pl.lit("non (nom lu dans le fichier)"))
            .alias("named"),
            (pl.col("committed_eur") / 1e6).alias("committed_meur"),
        ),
    )
    if shown.is_empty():
        ui.empty_notice(f"{title} : aucun nommé par les documents ni trouvé dans les données chargées.")
        return
    spec = TableSpec.of(
        Column(field="lot_label", header="Lot"),
        Column(field="name", header=singular),
        Column(field="also_named", header=also),
        Column(field="named", header="Nommé par les documents"),
        Column(field="committed_meur", header="Engagé (M€)", kind=Kind.MONEY),
        Column(field="share", header="Part du lot", kind=Kind.PERCENT),
        Column(field="items", header="Engagements", kind=Kind.INTEGER),
        Column(field="sources", header="Source"),
    )
    ui.show_spec_table(
        shown,
        spec,
        context=context.model_copy(update={"title": f"{title} : {context.title}"}),
        download_key=f"dl_contracts_{party}",
    )
    st.caption(f"Montants engagés comptés, par lot et toutes sources{_stamp(context.simulated)}.")


COMMITMENTS_TABLE = TableSpec.of(
    Column(field="day", header="Date", kind=Kind.DATE),
    Column(field="lot_id", header="Lot"),
    Column(field="source_fr", header="Source"),
    Column(field="reference", header="Référence"),
    Column(field="beneficiary", header="Bénéficiaire"),
    Column(field="holder", header="Titulaire"),
    Column(field="amount_eur", header="Montant (€)", kind=Kind.INTEGER),
    Column(field="link", header="Rattachement DECP"),
)
"""Each commitment counted: the day as dd/mm/yyyy, the amount in euros (a commitment is far below a million)."""


def _details(view: FrameworkView, lot_ids: list[str], context: ExportContext) -> None:
    """Every commitment counted, in a panel drawn once opened (a rerun): the longest table of the page."""
    table = ui.shared(
        f"details:{','.join(lot_ids)}",
        lambda: (
            view.rows.filter(pl.col("lot_id").is_in(lot_ids))
            .sort(["day", "lot_id", "reference"])
            .with_columns(pl.col("source").replace_strict(SOURCE_NAMES_FR, default=pl.col("source")).alias("source_fr"))
        ),
    )
    label = f"Détail des {format_number(table.height, 0)} engagement(s) compté(s){_stamp(context.simulated)}"
    panel = st.expander(label, key="contracts_details", on_change="rerun")
    if not panel.open:
        return
    with panel:
        ui.show_spec_table(
            table,
            COMMITMENTS_TABLE,
            context=context.model_copy(update={"title": f"Engagements comptés : {context.title}"}),
            download_key="dl_contracts_commitments",
        )


def series_detail(view: FrameworkView, series_id: str, context: ExportContext) -> None:
    """One lot (or the whole framework): its burn-up chart, its holders and beneficiaries, its commitments.

    `context` says what the downloads are about (the framework, the ministry filter); the series' own title and
    whether its sources are simulated are added here."""
    lot_ids = [lot.id for lot in view.framework.lots] if series_id == TOTAL_ID else [series_id]
    simulated = any(view.source_of(lot_id).simulated for lot_id in lot_ids)
    curve = ui.shared(f"burn_up:{series_id}", lambda: burn_up_data(view.frames, series_id))
    label = curve.item(0, "series_label") if curve.height else series_id
    context = context.model_copy(update={"title": label, "simulated": simulated})
    if curve.is_empty():
        ui.empty_notice("Aucune donnée chargée pour la source de ce lot : pas de courbe de consommation.")
    else:
        title = f"Consommation : {label}"  # the chart's own sentence starts with it
        ui.show_accessible_chart(
            lambda: view.burn_up_chart(series_id),
            context=context.model_copy(update={"title": title}),
            key=f"contracts_burn_up_{series_id}",
            data=curve,
        )
        reference = f" {REFERENCE_LEGEND_FR}" if series_id == TOTAL_ID and view.spend.comparison else ""
        st.caption(f"{BURN_UP_LEGEND_FR}{reference}{_stamp(simulated)}")
    _parties(view, lot_ids, "holder", context)
    _parties(view, lot_ids, "beneficiary", context)
    _details(view, lot_ids, context)


def sources(framework: Framework, context: ExportContext) -> None:
    """Every fact of the registry with the public document it comes from, and where in it."""
    st.header("Sources et faits")
    st.caption(
        "Chaque fait de l'accord-cadre tel que le registre `data/frameworks.toml` le tient, avec le document public "
        "qui le donne et l'endroit où il le donne ; « Ouvrir le document » mène au document."
    )
    table = facts_table(framework).rename(
        {
            "lot": "Portée",
            "fact": "Fait",
            "value": "Valeur",
            "source": "Document",
            "url": LINK_COLUMN,
            "at": "Où",
            "note": "Note",
        }
    )
    _link_table(
        table, context.model_copy(update={"title": f"Sources et faits : {framework.title}"}), "dl_contracts_facts"
    )
    st.markdown(
        "\n".join(f"- [{md(source.title)}]({source.url}) — {md(source.publisher)}" for source in framework.sources)
    )


def loading() -> None:
    """Both uploads: a DECP file (marchés subséquents) and an orders ledger (bons de commande)."""
    st.header("Charger des données")
    show_verdict(st.session_state.get(UPLOAD_OUTCOME_KEY))  # outside the expander: visible once it is closed
    with st.expander("Fichier DECP (marchés subséquents)", icon=":material/upload:"):
        render_upload_panel()
    show_verdict(st.session_state.get(ORDERS_OUTCOME_KEY))
    with st.expander("Registre des bons de commande", icon=":material/upload:"):
        render_orders_upload_panel()


def _decp_quality(view: FrameworkView, context: ExportContext) -> None:
    flags = {
        "amount_flag": "montant(s) signalé(s), exclu(s) des sommes",
        "siret_flag": "SIRET invalide(s)",
        "date_flag": "date(s) de notification future(s)",
    }
    linked, report = view.linked, view.contracts.report
    flagged = ui.shared("decp_flags", lambda: linked.select(pl.col(list(flags)).is_not_null().sum()).row(0))
    counts = " ; ".join(f"{count} {label}" for count, label in zip(flagged, flags.values(), strict=True))
    st.markdown(
        f"- **Marchés subséquents rattachés** ({format_number(linked.height, 0)}) : {counts}.\n"
        f"- **Tout le fichier DECP** « {md(report.file_name)} » : {report.flagged_amounts} montant(s) signalé(s), "
        f"{report.invalid_siret} SIRET invalide(s) (lignes), {report.future_dates} date(s) future(s), "
        f"{report.contracts_kept} marché(s) au total."
    )
    problems = ui.shared("decp_problems", lambda: linked.filter(pl.any_horizontal(pl.col(list(flags)).is_not_null())))
    if not problems.is_empty():
        with st.expander(f"{problems.height} marché(s) signalé(s)"):
            table = problems.select(
                pl.col("contract_uid").alias("Marché"),
                pl.col("buyer_name").alias("Acheteur"),
                pl.col("holder_name").alias("Titulaire"),
                pl.col("notification_date").alias("Notifié le"),
                pl.col("amount_eur").alias("Montant (€)"),
                pl.concat_str(pl.col(list(flags)), separator=" ; ", ignore_nulls=True).alias("Problème"),
            )
            ui.show_spec_table(
                table,
                spec_from_formats(table.schema, integers=["Montant (€)"]),
                context=context.model_copy(update={"title": "Marchés signalés", "simulated": view.contracts.simulated}),
                download_key="dl_contracts_flags",
            )


def _ledger_quality(view: FrameworkView) -> None:
    orders, report = view.orders.orders, view.orders.report
    left_out = ui.shared(
        "ledger_left_out",
        lambda: (
            orders.filter(~pl.col("counted"))
            .group_by("not_counted_reason")
            .agg(pl.len().alias("rows"), pl.col("amount_eur").sum().alias("amount"))
            .sort("not_counted_reason")
        ),
    )
    reasons = "".join(
        f"\n  - {rows} ligne(s), {format_eur_as_meur(amount)} : {md(reason)}"
        for reason, rows, amount in left_out.rows()
    )
    st.markdown(
        f"- **Registre des bons de commande** « {md(report.file_name)} » : {format_number(report.orders_kept, 0)} "
        f"bon(s) de commande, {format_number(report.orders_counted, 0)} compté(s) pour "
        f"{format_eur_as_meur(report.counted_eur)} HT, {len(report.warnings)} avertissement(s) ; non comptés :"
        + (reasons or " aucun.")
    )


def quality_and_configuration(view: FrameworkView, context: ExportContext) -> None:
    """Counts of doubtful data and how to point the app at a national file: below the figures, never in meetings."""
    st.header("Qualité des données et configuration")
    _decp_quality(view, context)
    _ledger_quality(view)
    configured = from_environment(DecpSettings).decp_path
    state = f"configuré : « {md(configured.name)} »" if configured is not None else "non configuré (scénario simulé)"
    st.markdown(
        f"**Fichier DECP national** ({state}). Pour analyser toute la commande publique plutôt qu'un fichier "
        "téléversé, définissez la variable d'environnement `PANORAMA_DECP_PATH` vers le fichier national "
        "(Parquet ou CSV au schéma tabulaire DECP 2.0, ou le fichier consolidé de decp.info qui nomme le titulaire "
        "`titulaire_nom`) avant de lancer l'application, par exemple "
        "`PANORAMA_DECP_PATH=/donnees/decp.parquet uv run streamlit run app.py`. Il est lu en différé et filtré "
        "avant chargement (identifiants d'accord-cadre du registre, services informatiques pendant la durée des "
        "lots). Le registre des bons de commande n'a pas d'équivalent national : il se téléverse ci-dessus."
    )
    with st.expander("Règles de calcul"):
        st.markdown(
            f"- **Dépense par lot** : {md(SPEND_RULE_FR)}\n- **Registre** : {md(LEDGER_RULE_FR)}\n"
            f"- **Montants DECP** : {md(AMOUNT_RULE_FR)}\n- **Rattachement** : {md(LINK_RULE_FR)}\n"
            f"- **Rythme** : {md(PACE_METHOD_FR)}"
        )
