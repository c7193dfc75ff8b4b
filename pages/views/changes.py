"""Évolutions: any two editions project by project, sentences to copy into a note, and the change of the average
drift split into composition and like-for-like (`de` / `a`, by default the shared edition and comparison)."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from analytics.display import spec_from_formats
from analytics.formatting import escape_markdown, format_edition_label, format_month
from analytics.panorama.change_report import (
    change_key_figures,
    continuing_table,
    decomposition_display,
    decomposition_percent_columns,
    official_display,
    period_caption,
    phase_moves_table,
    split_sentence,
)
from analytics.panorama.changes import CHANGES_METHOD_FR, EditionComparison, change_sentences, compare_editions
from analytics.panorama.composition import DECOMPOSITION_METHOD_FR, decompose_drift_change
from analytics.params.pages import PageId
from pages.common import state, ui, widgets
from pages.common.change_tables import movement_tables, span_fr, titled_table
from pages.common.context import PageContext, run_page
from pages.common.ministry_links import ministry_links

PAGE = PageId.CHANGES
SENTENCES = 10
MEETING_SENTENCES = 5


def render(ctx: PageContext) -> None:
    st.title("Évolutions")
    period = _period(ctx)
    if period is None:
        return
    start, end = period
    selected = ctx.selected_projects()
    comparison = compare_editions(selected, start, end, whole=ctx.view.projects)
    st.caption(f"{period_caption(comparison)} · projet par projet · filtres dans le panneau de gauche")
    ui.selection_caption(ctx.selection, comparison.changes.height)
    if comparison.changes.is_empty():
        ui.empty_notice()
        return
    ui.key_figures(change_key_figures(comparison), columns=4)
    if ctx.meeting:
        _presentation(ctx, comparison, selected, start, end)
        return
    _sentences(comparison)
    _movements(ctx, comparison)
    _continuing(ctx, comparison)
    _decomposition(ctx, selected, start, end)
    ministry_links(ctx, comparison.changes, by_name=True)
    st.caption(CHANGES_METHOD_FR)


def _default_period(ctx: PageContext) -> tuple[date | None, date | None]:
    """The shared edition and its comparison edition, earlier first (no start without a comparison)."""
    if ctx.compare is None or ctx.edition is None:
        return None, ctx.edition
    return min(ctx.compare, ctx.edition), max(ctx.compare, ctx.edition)


def _picker(ctx: PageContext, container, name: str, label: str, default: date | None) -> None:
    """An edition bound to `name`; None in the store follows `default` (the shared filters)."""
    key = state.widget_key(PAGE, name)
    shown = getattr(ctx.params, name) or default
    if st.session_state.get(key, shown) != shown:  # the shared filters moved the default: show it
        del st.session_state[key]
    editions = list(reversed(ctx.vocab.editions))
    widgets.selectbox(
        PAGE,
        name,
        label,
        editions if default is not None else [None, *editions],
        to_widget=lambda e: e or default,
        from_widget=lambda e: None if e == default else e,
        format_func=lambda e: "Choisir une édition" if e is None else format_edition_label(e),
        container=container,
    )


def _period(ctx: PageContext) -> tuple[date, date] | None:
    """The two editions compared, earlier first, drawn as two pickers (not on a projector: the caption names them);
    None (with a French notice) when unusable."""
    default_start, default_end = _default_period(ctx)
    if not ctx.meeting:
        _pickers(ctx, default_start, default_end)
    start = ctx.params.from_edition or default_start
    end = ctx.params.to_edition or default_end
    if start is None or end is None:
        ui.empty_notice("Choisissez une édition de départ : l'édition affichée n'a pas d'édition de comparaison.")
        return None
    if start == end:
        ui.empty_notice(f"Les deux éditions sont identiques ({format_month(start)}) : choisissez-en deux différentes.")
        return None
    if start > end and not ctx.meeting:
        st.info(
            f"Édition de départ postérieure à l'édition d'arrivée : la comparaison va de {format_month(end)} "
            f"à {format_month(start)}.",
            icon=":material/swap_horiz:",
        )
    return min(start, end), max(start, end)


def _pickers(ctx: PageContext, default_start: date | None, default_end: date | None) -> None:
    start_col, end_col, reset_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    _picker(ctx, start_col, "from_edition", "Édition de départ", default_start)
    _picker(ctx, end_col, "to_edition", "Édition d'arrivée", default_end)
    if ctx.params.from_edition is not None or ctx.params.to_edition is not None:
        reset_col.button(
            "Éditions des filtres",
            icon=":material/restart_alt:",
            help="Revenir à l'édition affichée et à son édition de comparaison (panneau de gauche).",
            on_click=state.update,
            args=(PAGE,),
            kwargs={"from_edition": None, "to_edition": None},
        )


def _presentation(
    ctx: PageContext, comparison: EditionComparison, selected: pl.DataFrame, start: date, end: date
) -> None:
    """One screen for a meeting: the largest changes in words, then what moved the average budget drift."""
    st.subheader("Les plus fortes évolutions")
    sentences = change_sentences(comparison, limit=MEETING_SENTENCES)
    if sentences:
        st.markdown("\n".join(f"- {escape_markdown(sentence.text)}" for sentence in sentences))
    else:
        ui.empty_notice("Aucune évolution visible entre ces deux éditions pour cette sélection.")
    decomposition = ctx.memo("decomposition", lambda: decompose_drift_change(selected, start, end, None))
    st.markdown(split_sentence(decomposition.budget_mean, start, end))  # fixed labels and formatted numbers only


def _sentences(comparison: EditionComparison) -> None:
    st.header("Les plus fortes évolutions, en phrases")
    sentences = change_sentences(comparison, limit=SENTENCES)
    if not sentences:
        ui.empty_notice("Aucune évolution visible entre ces deux éditions pour cette sélection.")
        return
    st.code("\n".join(sentence.text for sentence in sentences), language=None, wrap_lines=True)
    st.caption(
        "Texte brut, une phrase par projet, par impact décroissant sur le coût total : copiez-le avec l'icône "
        "en haut à droite du cadre. Les chiffres sont ceux des tableaux ci-dessous."
    )


def _movements(ctx: PageContext, comparison: EditionComparison) -> None:
    st.header("Entrants et sortants")
    movement_tables(ctx, comparison, ui.export_context(ctx, "", edition=False))


def _continuing(ctx: PageContext, comparison: EditionComparison) -> None:
    st.header("Projets présents dans les deux éditions, par impact sur le coût total")
    span = span_fr(comparison)
    table = continuing_table(comparison)
    title = f"{comparison.continuing.height} projet(s)"
    context = ui.export_context(ctx, f"Variations des projets présents {span}", edition=False)
    titled_table(ctx, title, table, "Aucun projet présent dans les deux éditions.", context, "dl_continuing")
    moves = phase_moves_table(comparison)
    titled_table(
        ctx,
        f"{moves.height} changement(s) de phase",
        moves,
        "Aucun changement de phase.",
        ui.export_context(ctx, f"Changements de phase {span}", edition=False),
        "dl_phase_moves",
    )


def _decomposition(ctx: PageContext, selected: pl.DataFrame, start: date, end: date) -> None:
    st.header("Dérive moyenne : effet de composition et dérive à périmètre constant")
    headlines = ctx.view.headlines if ctx.selection.is_unfiltered else None
    decomposition = decompose_drift_change(selected, start, end, headlines)
    for split in (decomposition.budget_mean, decomposition.budget_cost_weighted):
        st.markdown(split_sentence(split, start, end))  # fixed labels and formatted numbers only
    table = decomposition_display(decomposition)
    points = [c for c in table.columns if c.endswith("(pt)")]
    counts = ["Projets mesurés dans les deux éditions", "Entrants mesurés", "Sortants mesurés"]
    span = f"entre {format_month(start)} et {format_month(end)}"
    ui.show_spec_table(
        table,
        spec_from_formats(
            table.schema, percent=decomposition_percent_columns(decomposition), years=points, integers=counts
        ),
        context=ui.export_context(ctx, f"Décomposition de la variation de la dérive moyenne {span}", edition=False),
        download_key="dl_decomposition",
    )
    if decomposition.official is not None:
        st.markdown("**Moyennes officielles publiées par la DINUM, pour comparaison**")
        official = official_display(decomposition.official, start, end)
        ui.show_spec_table(
            official,
            spec_from_formats(
                official.schema, percent=decomposition_percent_columns(decomposition), years=["Variation totale (pt)"]
            ),
            context=ui.export_context(ctx, f"Moyennes officielles {span}", edition=False, filters=False),
            download_key="dl_official_drift",
        )
        st.caption(
            "Chiffres officiels : mesurés depuis l'estimation initiale de chaque projet, sur tout le panorama ; "
            "ils ne se décomposent pas. « – » : non publié dans l'édition."
        )
    else:
        st.caption(
            "Moyennes officielles non affichées : elles portent sur tout le panorama et des filtres sont actifs."
        )
    st.caption(
        "Variations en points de pourcentage (pt), arrondies à un dixième : la somme des parties affichées peut "
        "différer d'un dixième du total. " + DECOMPOSITION_METHOD_FR
    )


run_page(render)
