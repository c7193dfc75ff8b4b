"""Données et méthode: sources, what is loaded, what is doubtful in it, how figures are computed, imports."""

from __future__ import annotations

import functools

import polars as pl
import streamlit as st

from analytics.formatting import escape_markdown as md
from analytics.panorama.drift import DRIFT_METHOD_FR
from analytics.panorama.quality import edition_inventory, renamed_ministries, renamed_projects
from analytics.params.pages import PAGES
from analytics.params.query import documentation_rows
from pages.common import ui
from pages.common.context import PageContext, run_page
from pages.common.import_panel import render_import_panel


def render(ctx: PageContext) -> None:
    st.title("Données et méthode")
    if ctx.meeting:
        _editions(ctx)
        return
    _sources()
    _editions(ctx)
    _quality(ctx)
    _method()
    _url_parameters()
    st.header("Importer une nouvelle édition")
    render_import_panel(ctx.view)


def _sources() -> None:
    st.header("Sources")
    st.markdown(
        """
    - **Panorama des grands projets numériques de l'État** (DINUM, ex-DINSIC) : tableaux par projet de dix
      éditions publiées entre novembre 2016 et novembre 2021, extraits du tableau de bord officiel
      ([github.com/DISIC/panorama](https://github.com/DISIC/panorama), licence MIT ; données aussi publiées sur
      [data.gouv.fr](https://www.data.gouv.fr/fr/datasets/panorama-des-grands-projets-numeriques-de-letat/)).
      Valeurs reprises telles que publiées ; l'interprétation (dates, phases, montants) est faite au chargement.
    - **Chiffres officiels par édition** (nombre de projets, coût total, durée et écarts moyens) : 17 éditions,
      chaque ligne avec sa source (tableau de bord DINUM, numerique.gouv.fr, presse spécialisée). Ils forment une
      série à part, jamais mélangée aux chiffres calculés.
    - **Identité des projets et des ministères** d'une édition à l'autre : tables de correspondance relues à la
      main (`data/panorama/crosswalk_*.csv`, journal de revue dans `CROSSWALK_REVIEW.md`).
    - **Marchés subséquents** : format des données essentielles de la commande publique (DECP,
      [schéma tabulaire 2.0](https://github.com/ColinMaudry/decp-table-schema), Licence Ouverte 2.0) ; **bons de
      commande** : registre tenu par le gestionnaire de l'accord-cadre. Les données embarquées sont **simulées**
      (voir la page Accords-cadres agiles) ; les accords-cadres sont décrits dans `data/frameworks.toml` avec la
      source de chaque fait.
    """
    )


def _editions(ctx: PageContext) -> None:
    st.header("Éditions chargées")
    inventory_table = ctx.memo("inventory", lambda: _inventory_table(ctx))
    ui.show_table(
        inventory_table,
        "editions-chargees",
        "dl_inventory",
        money=["Coût total calculé (M€)", "Coût total officiel (M€)"],
        integers=["Projets (chiffre officiel)"],
    )
    st.caption(
        f"{ctx.view.projects.height} lignes projet × édition, {len(ctx.view.vocab.projects)} projets distincts, "
        f"{len(ctx.view.vocab.ministries)} ministères. Les écarts avec les chiffres officiels sont connus : "
        "à partir de juillet 2018 le coût officiel exclut les projets en cadrage ; en mars 2019 le chiffre "
        "officiel compte 46 projets pour 48 lignes publiées ; en juillet 2021 le tableau omet des coûts "
        "inclus dans le total officiel (2,35 Md€ contre 1 881,8 M€ publiés projet par projet)."
    )


def _inventory_table(ctx: PageContext) -> pl.DataFrame:
    return edition_inventory(ctx.view.projects, ctx.view.headlines).select(
        pl.col("edition").dt.strftime("%Y-%m").alias("Édition"),
        pl.col("projects").alias("Lignes (projets)"),
        pl.col("official_projects").alias("Projets (chiffre officiel)"),
        pl.col("total_cost_meur").alias("Coût total calculé (M€)"),
        pl.col("official_total_cost_meur").alias("Coût total officiel (M€)"),
        pl.col("withheld_cost").alias("Coûts non publiés"),
        pl.col("withheld_duration").alias("Durées non publiées"),
        pl.col("interministerial").alias("Interministériels"),
        pl.col("cost_definition").alias("Définition du coût"),
    )


def _quality(ctx: PageContext) -> None:
    st.header("Qualité des données")
    withheld = ctx.memo("withheld", lambda: ctx.view.projects.get_column("cost_meur").null_count())
    st.markdown(
        f"- **{withheld} ligne(s) sans coût publié** (appel d'offres en cours, trajectoire en révision, "
        "projet en cadrage ou cellule vide) : jamais comptées comme zéro, exclues des moyennes et signalées dans "
        "les totaux."
    )
    projects_renamed = ctx.memo("renamed_projects", lambda: renamed_projects(ctx.view.projects))
    ministries_renamed = ctx.memo("renamed_ministries", lambda: renamed_ministries(ctx.view.projects))
    st.markdown(
        f"- **{projects_renamed.height} projet(s) publiés sous plusieurs noms** et "
        f"**{ministries_renamed.height} ministère(s) renommés** au fil des remaniements : rapprochés par les tables "
        "de correspondance."
    )
    renamed = st.expander("Projets renommés", key="data_renamed_projects", on_change="rerun")
    if renamed.open:
        renamed.dataframe(
            projects_renamed.select(
                pl.col("project_id").alias("Identifiant"),
                pl.col("names").list.join(" → ").alias("Noms publiés"),
                pl.col("first_edition").dt.strftime("%Y-%m").alias("Première édition"),
                pl.col("last_edition").dt.strftime("%Y-%m").alias("Dernière édition"),
            ),
            hide_index=True,
            width="stretch",
        )
    with st.expander("Ministères renommés"):
        for row in ministries_renamed.iter_rows(named=True):
            st.markdown(f"**{md(row['ministry_label'])}** : {md(' → '.join(row['names']))}")


def _method() -> None:
    st.header("Méthode")
    st.markdown(
        f"""
    - **Coût** : « Coût estimé » jusqu'en mars 2018, puis « Coût complet estimé » (coût de construction, y compris
      les personnels, plus deux ans de fonctionnement). Les graphiques marquent cette rupture.
    - **Tranches de coût** : moins de 9 M€, 9 à 20 M€, 20 à 100 M€, plus de 100 M€ (borne basse incluse).
    - **Écarts (dérives)** : {DRIFT_METHOD_FR}
    - **Moyennes** : sur les projets dont le chiffre est publié ; l'écart pondéré pondère chaque projet par son coût.
    - **Mouvements** : un projet entrant figure dans l'édition d'arrivée et pas dans celle de départ (même s'il
      figurait plus tôt) ; un sortant l'inverse, avec son dernier coût et son dernier écart connus.
    """
    )


def _url_parameters() -> None:
    st.header("Paramètres d'adresse (liens partageables)")
    st.caption(
        "Chaque vue est un lien : ces paramètres sont lus dans l'adresse et tenus à jour par l'application ; "
        "les valeurs par défaut n'y figurent pas."
    )
    st.dataframe(_parameter_table(), hide_index=True, width="stretch")


@functools.cache
def _parameter_table() -> pl.DataFrame:
    """Every URL parameter with its scope, from the parameter table (fixed for the life of the server)."""
    scopes = [(None, "Toutes les pages (filtres communs)")] + [(p.id, f"Page « {p.title} »") for p in PAGES]
    return pl.DataFrame(
        [(title, *row) for page, title in scopes for row in documentation_rows(page)],
        schema=["Portée", "Paramètre", "Valeurs", "Défaut"],
        orient="row",
    )


run_page(render)
