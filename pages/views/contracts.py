"""Marchés subséquents: what a DINUM agile framework agreement has notified so far, to whom, how fast."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from analytics import charts
from analytics.decp.charts import burn_up_chart
from analytics.decp.frameworks import Framework
from analytics.decp.linking import LINK_RULE_FR
from analytics.decp.normalise import AMOUNT_RULE_FR
from analytics.decp.spend import (
    PACE_METHOD_FR,
    burn_up,
    by_beneficiary,
    by_contractor,
    by_quarter,
    concentration,
    contract_sizes,
    largest_contracts,
    pace,
)
from analytics.formatting import escape_markdown as md
from analytics.formatting import format_eur_as_meur, format_number, format_pct
from pages.common import state, ui
from pages.common.contracts_data import (
    contract_source,
    default_framework_id,
    filter_ministries,
    framework_linked,
    frameworks,
    render_upload_panel,
    simulated_banner,
    with_ministry,
)
from pages.common.tables import french_table

ACCORD_KEY, PROBABLE_KEY, SEEDED_KEY = "contracts_accord", "contracts_probables", "contracts_seeded"
SHADOW = {ACCORD_KEY: "_contracts_accord", PROBABLE_KEY: "_contracts_probables"}  # survives page switches

selection = state.current_selection()
source = contract_source()
registry = frameworks()
by_id: dict[str, Framework] = {f.id: f for f in registry}
default_id = default_framework_id(source, registry)

st.title("Marchés subséquents")
st.caption(f"Source : {md(source.label_fr)} · date d'arrêt {source.as_of:%d/%m/%Y} · montants notifiés, pas payés.")
simulated_banner(source)


def _seed_from_url() -> None:
    """First visit: the URL names the framework and the probable links; each invalid value is said once."""
    if st.session_state.get(SEEDED_KEY):
        return
    st.session_state[SEEDED_KEY] = True
    snapshot = state.url_snapshot()
    accord, probables = snapshot.get("accord", [])[:1], snapshot.get("probables", [])[:1]
    st.session_state[SHADOW[ACCORD_KEY]] = default_id
    if accord and accord[0] in by_id:
        st.session_state[SHADOW[ACCORD_KEY]] = accord[0]
    elif accord:
        known = ", ".join(by_id)
        st.warning(
            f"Lien : accord-cadre « {md(accord[0])} » inconnu du registre (connus : {known}) ; "
            "l'accord-cadre par défaut est affiché.",
            icon=":material/link_off:",
        )
    st.session_state[SHADOW[PROBABLE_KEY]] = probables == ["1"]
    if probables and probables[0] not in ("0", "1"):
        st.warning(
            f"Lien : « probables={md(probables[0])} » ignoré (valeurs possibles : 0 ou 1).",
            icon=":material/link_off:",
        )


_seed_from_url()
for widget_key, shadow_key in SHADOW.items():
    state.seed(widget_key, st.session_state.get(shadow_key))
if st.session_state.get(ACCORD_KEY) not in by_id:
    st.session_state[ACCORD_KEY] = default_id

left, right = st.columns([3, 2], vertical_alignment="bottom")
framework_id = left.selectbox("Accord-cadre", list(by_id), key=ACCORD_KEY, format_func=lambda i: by_id[i].title)
include_probable = right.toggle(
    "Compter les rattachements probables",
    key=PROBABLE_KEY,
    help="Marchés sans identifiant d'accord-cadre mais dont l'acheteur, le titulaire, le code CPV et la date "
    "correspondent (voir la règle en bas de page).",
)
for widget_key, shadow_key in SHADOW.items():
    st.session_state[shadow_key] = st.session_state[widget_key]
page_query: dict[str, list[str]] = {}
if framework_id is not None and framework_id != default_id:
    page_query["accord"] = [framework_id]
if include_probable:
    page_query["probables"] = ["1"]
state.set_page_query(page_query)


def _facts(framework: Framework) -> None:
    term = (
        f"du {framework.start_date:%d/%m/%Y} au {framework.end_date:%d/%m/%Y}"
        if framework.start_date and framework.end_date
        else "dates non publiées"
    )
    parts = [
        f"Durée : {term}",
        f"montant estimé : {format_eur_as_meur(framework.estimated_amount_eur, 0)}",
        f"maximum : {format_eur_as_meur(framework.maximum_amount_eur, 0)}",
    ]
    if framework.spent_eur is not None:
        parts.append(f"montant publié : {format_eur_as_meur(framework.spent_eur, 0)}")
    notes = [md(note) for note in (framework.spent_note, framework.dates_note) if note]
    st.caption(" · ".join(parts) + (f" — {' '.join(notes)}" if notes else ""))


def _kpis(linked: pl.DataFrame, framework: Framework) -> None:
    sizes, top = contract_sizes(linked), concentration(linked)
    estimate, maximum = framework.estimated_amount_eur, framework.maximum_amount_eur
    cells = [
        (
            "Montant notifié cumulé",
            format_eur_as_meur(sizes.total_eur),
            f"{sizes.excluded_flagged} marché(s) au montant signalé exclu(s). Montant notifié, pas dépensé.",
        ),
        (
            "Part de l'estimation",
            format_pct(sizes.total_eur / estimate if estimate else None),
            f"Estimation : {format_eur_as_meur(estimate, 0)}" if estimate else "Montant estimé non publié.",
        ),
        (
            "Part du maximum",
            format_pct(sizes.total_eur / maximum if maximum else None),
            f"Maximum : {format_eur_as_meur(maximum, 0)}" if maximum else "Montant maximum non publié.",
        ),
        (
            "Nombre de marchés",
            format_number(sizes.contracts, 0),
            "Marchés rattachés comptés (montant présent, non signalé).",
        ),
        (
            "Taille moyenne / médiane",
            f"{format_eur_as_meur(sizes.mean_eur, 2)} / {format_eur_as_meur(sizes.median_eur, 2)}",
            "Montant notifié par marché.",
        ),
        (
            "Part du 1er titulaire",
            format_pct(top.top1_share),
            f"{top.top_contractor or '–'} ; groupements comptés sous leur mandataire.",
        ),
        ("Part des 3 premiers titulaires", format_pct(top.top3_share), f"{top.contractors} titulaire(s) au total."),
    ]
    shown = cells[:4] if selection.meeting_mode else cells
    columns = st.columns(len(shown) if selection.meeting_mode else 4)
    for index, (label, value, help_text) in enumerate(shown):
        columns[index % len(columns)].metric(label, value, help=help_text, border=True)


def _breakdowns(linked: pl.DataFrame) -> None:
    beneficiaries = by_beneficiary(linked).with_columns(
        pl.col("notified_eur") / 1e6, pl.col("buyer_name").fill_null(pl.col("buyer_id"))
    )
    contractors = by_contractor(linked).with_columns(pl.col("notified_eur") / 1e6)
    quarters = by_quarter(linked).with_columns(pl.col("notified_eur") / 1e6)
    count = alt.Tooltip("contracts:Q", title="Marchés")
    with_share = [count, alt.Tooltip("share:Q", title="Part", format=".1%")]
    views = [
        ("Par bénéficiaire", beneficiaries, "buyer_name", "Acheteur", with_share, True, "beneficiaires"),
        ("Par titulaire", contractors, "contractor", "Titulaire (groupement)", with_share, True, "titulaires"),
        ("Par trimestre", quarters, "quarter", "Trimestre de notification", [count], False, "trimestres"),
    ]
    for tab, (title, frame, category, category_title, tooltip, by_value, name) in zip(
        st.tabs([v[0] for v in views]), views, strict=True
    ):
        with tab:
            chart = charts.bar_chart(
                frame,
                category,
                "notified_eur",
                category_title=category_title,
                value_title="Montant notifié (M€)",
                tooltip=tooltip,
                sort_by_value=by_value,
            )
            ui.show_chart(chart, f"marches-{name}", f"contracts_{name}", data=frame)
            if not selection.meeting_mode:
                st.caption(f"{title} : {frame.height} ligne(s) ; montants signalés exclus.")


def _pace(
    linked: pl.DataFrame, framework: Framework, previous: Framework | None, previous_linked: pl.DataFrame | None
) -> None:
    st.subheader("Rythme de notification")
    now = pace(linked, framework, source.as_of)
    before = pace(previous_linked, previous, source.as_of) if previous and previous_linked is not None else None
    comparable = before is not None and before.monthly_pace_eur is not None and before.notified_eur > 0
    delta = None
    if comparable and now.monthly_pace_eur is not None:
        difference = now.monthly_pace_eur - before.monthly_pace_eur
        delta = f"{format_eur_as_meur(difference, 2)} par rapport à l'accord-cadre précédent"
    st.metric(
        "Rythme moyen mensuel",
        f"{format_eur_as_meur(now.monthly_pace_eur, 2)} / mois",
        delta=delta,
        delta_color="off",
        help=PACE_METHOD_FR,
        border=True,
    )
    st.markdown(f"- {md(now.estimate.message_fr)}\n- {md(now.maximum.message_fr)}")
    if previous is None:
        st.caption("Pas d'accord-cadre précédent dans le registre : aucune comparaison.")
    elif comparable:
        st.caption(
            f"Accord-cadre précédent « {md(previous.title)} » : {format_eur_as_meur(before.monthly_pace_eur, 2)} "
            f"par mois sur {format_number(before.elapsed_months, 1)} mois "
            f"({format_eur_as_meur(before.notified_eur)} notifiés)."
        )
    elif previous.start_date is None:
        st.caption(
            f"Comparaison impossible : la date de début de l'accord-cadre précédent « {md(previous.title)} » "
            "n'est pas publiée."
        )
    else:
        st.caption(
            f"Comparaison impossible : aucun marché de l'accord-cadre précédent « {md(previous.title)} » dans "
            "les données (règle de rattachement actuelle, filtres compris)."
        )
    if not selection.meeting_mode:
        st.caption(md(PACE_METHOD_FR))


def _quality(linked: pl.DataFrame) -> None:
    st.subheader("Qualité des données")
    flags = {
        "amount_flag": "Montants signalés (exclus des sommes)",
        "siret_flag": "SIRET invalides",
        "date_flag": "Dates de notification futures",
    }
    columns = st.columns(len(flags))
    for column, (flag, label) in zip(columns, flags.items(), strict=True):
        column.metric(label, format_number(linked.get_column(flag).is_not_null().sum(), 0), border=True)
    report = source.report
    st.caption(
        f"Dans tout le fichier « {md(report.file_name)} » : {report.flagged_amounts} montant(s) signalé(s), "
        f"{report.invalid_siret} SIRET invalide(s) (lignes), {report.future_dates} date(s) future(s), "
        f"{report.contracts_kept} marché(s) au total."
    )
    problems = linked.filter(pl.any_horizontal(pl.col(list(flags)).is_not_null()))
    if not problems.is_empty() and not selection.meeting_mode:
        with st.expander(f"{problems.height} marché(s) signalé(s)"):
            table = problems.select(
                pl.col("contract_uid").alias("Marché"),
                pl.col("buyer_name").alias("Acheteur"),
                pl.col("holder_name").alias("Titulaire"),
                pl.col("notification_date").alias("Notifié le"),
                (pl.col("amount_eur") / 1e6).alias("Montant (M€)"),
                pl.concat_str(pl.col(list(flags)), separator=" ; ", ignore_nulls=True).alias("Problème"),
            )
            st.dataframe(french_table(table, money=["Montant (M€)"]), hide_index=True, width="stretch")
            ui.download_table(table, "marches-signales", "dl_contracts_flags")


def _largest(linked: pl.DataFrame) -> None:
    st.subheader("Plus gros marchés")
    table = largest_contracts(linked, 10).select(
        pl.col("notification_date").alias("Notifié le"),
        pl.col("buyer_name").alias("Acheteur"),
        pl.col("holder_name").alias("Titulaire (mandataire)"),
        pl.col("awardee_group").alias("Attributaire"),
        pl.col("object").alias("Objet"),
        (pl.col("amount_eur") / 1e6).alias("Montant (M€)"),
        pl.col("link").alias("Rattachement"),
        pl.col("link_reason_fr").alias("Raison du rattachement"),
    )
    st.dataframe(french_table(table, money=["Montant (M€)"]), hide_index=True, width="stretch")
    ui.download_table(table, "plus-gros-marches", "dl_contracts_largest")


framework = by_id.get(framework_id) if framework_id else None
if framework is None:
    ui.empty_notice("Aucun accord-cadre dans le registre : rien à analyser.")
else:
    _facts(framework)
    linked = with_ministry(framework_linked(source, framework, include_probable), framework)
    unmapped = linked.get_column("ministry_id").is_null().sum()
    linked = filter_ministries(linked, selection.ministries)
    if selection.ministries:
        st.info(
            f"Filtre ministères appliqué par le bénéficiaire du registre : {unmapped} marché(s) dont l'acheteur "
            "n'est rattaché à aucun ministère sont écartés (ils ne sont comptés que sans filtre ministères).",
            icon=":material/filter_alt:",
        )
    _kpis(linked, framework)
    if not include_probable:
        later = registry[registry.index(framework) + 1 :]
        for other in (f for f in later if framework_linked(source, f, False).is_empty()):
            probable_count = framework_linked(source, other, True).height
            if probable_count:
                st.info(
                    f"« {md(other.title)} » : {probable_count} marché(s) rattaché(s) de façon probable seulement "
                    "(sans identifiant d'accord-cadre) ; choisissez-le et activez « Compter les rattachements "
                    "probables ».",
                    icon=":material/lightbulb:",
                )
    if linked.is_empty():
        hint = "" if include_probable else " Activez « Compter les rattachements probables » pour élargir."
        ui.empty_notice(f"Aucun marché rattaché à cet accord-cadre dans les données et les filtres choisis.{hint}")
    else:
        st.subheader("Consommation de l'accord-cadre")
        burn = burn_up(linked, framework, source.as_of)
        chart = burn_up_chart(
            burn,
            estimate_eur=framework.estimated_amount_eur,
            maximum_eur=framework.maximum_amount_eur,
            start=framework.start_date,
            end=framework.end_date,
        )
        ui.show_chart(chart, "consommation-accord-cadre", "contracts_burn_up", data=burn)
        index = registry.index(framework)
        previous = registry[index - 1] if index > 0 else None
        previous_linked = None
        if previous is not None:
            previous_linked = filter_ministries(
                with_ministry(framework_linked(source, previous, include_probable), previous), selection.ministries
            )
        _pace(linked, framework, previous, previous_linked)
        st.subheader("Répartition")
        _breakdowns(linked)
        if not selection.meeting_mode:
            _largest(linked)
        _quality(linked)

if not selection.meeting_mode:
    with st.expander("Règles de calcul"):
        st.markdown(
            f"- **Montants** : {md(AMOUNT_RULE_FR)}\n- **Rattachement** : {md(LINK_RULE_FR)}\n"
            f"- **Rythme** : {md(PACE_METHOD_FR)}"
        )
    with st.expander("Charger un fichier DECP", icon=":material/upload:"):
        render_upload_panel()
