"""Text alternatives of charts, checked word for word on small frames."""

from __future__ import annotations

from datetime import date

import polars as pl

from analytics.chart_text import (
    join_fr,
    level_sentence,
    ranking_sentence,
    scatter_sentence,
    series_sentence,
    stacked_sentence,
)
from analytics.display import Column, Kind

NB, NN = "\u00a0", "\u202f"
MINISTRY = Column(field="m", header="Ministère")
COST = Column(field="c", header="Coût (M€)", kind=Kind.MONEY)
COUNT = Column(field="n", header="Projets", kind=Kind.INTEGER)
COSTS = pl.DataFrame({"m": ["Justice", "Intérieur", "Armées", "Culture"], "c": [400.1, 812.345, 300.0, None]})


def test_join_fr() -> None:
    assert [join_fr([]), join_fr(["a"]), join_fr(["a", "b"]), join_fr(["a", "b", "c"])] == [
        "",
        "a",
        "a et b",
        "a, b et c",
    ]


def test_ranking_names_the_leader_and_the_next_two() -> None:
    assert ranking_sentence(COSTS, MINISTRY, COST, title="Coût par ministère") == (
        f"Coût par ministère : Intérieur en tête avec 812,3{NB}M€, puis Justice (400,1{NB}M€) et Armées "
        f"(300,0{NB}M€) ; 4 barre(s) au total."
    )


def test_unranked_bars_are_listed_in_order() -> None:
    brackets = pl.DataFrame({"b": ["< 9 M€", "9–20 M€", "> 100 M€"], "n": [3, 10, 1]})
    sentence = ranking_sentence(brackets, Column(field="b", header="Tranche"), COUNT, title="Projets", ranked=False)
    assert sentence == "Projets : < 9 M€ : 3 ; 9–20 M€ : 10 ; > 100 M€ : 1 ; 3 barre(s) au total."


def test_empty_chart_says_so() -> None:
    assert ranking_sentence(COSTS.clear(), MINISTRY, COST, title="Coût") == "Coût : aucune donnée."


def test_stacked_gives_bar_totals_and_part_totals_in_legend_order() -> None:
    frame = pl.DataFrame(
        {"m": ["Intérieur", "Intérieur", "Armées"], "p": ["Terminé", "Cadrage", "Cadrage"], "n": [1, 3, 2]}
    )
    sentence = stacked_sentence(
        frame, MINISTRY, Column(field="p", header="Phase"), COUNT, title="Projets", stack_order=["Cadrage", "Terminé"]
    )
    assert sentence == (
        "Projets : Intérieur en tête avec 4, puis Armées (2) ; 2 barre(s) au total ; par phase : Cadrage 5, Terminé 1."
    )


def test_series_sentence_gives_first_last_and_maximum() -> None:
    frame = pl.DataFrame(
        {
            "e": [date(2016, 11, 1), date(2018, 3, 1), date(2021, 11, 1), date(2016, 11, 1)],
            "v": [2290.0, 2830.0, 2511.9, 2000.0],
            "s": ["Calculé", "Calculé", "Calculé", "Officiel"],
        }
    )
    sentence = series_sentence(
        frame,
        Column(field="e", header="Édition", kind=Kind.MONTH),
        Column(field="v", header="Coût total (M€)", kind=Kind.MONEY),
        Column(field="s", header="Série"),
        title="Coût total",
    )
    assert sentence == (
        f"Coût total, de 11/2016 à 11/2021 : Calculé : de 2{NN}290,0{NB}M€ (11/2016) à 2{NN}511,9{NB}M€ (11/2021), "
        f"maximum 2{NN}830,0{NB}M€ (03/2018) ; Officiel : de 2{NN}000,0{NB}M€ (11/2016) à 2{NN}000,0{NB}M€ "
        f"(11/2016), maximum 2{NN}000,0{NB}M€ (11/2016)."
    )


def test_scatter_sentence_counts_beyond_the_threshold() -> None:
    frame = pl.DataFrame({"p": ["A", "B", "C"], "b": [0.5, -0.1, 0.1], "s": [0.0, 0.9, 0.05]})
    sentence = scatter_sentence(
        frame,
        Column(field="p", header="Projet"),
        Column(field="b", header="Écart budgétaire", kind=Kind.SIGNED_PERCENT),
        Column(field="s", header="Écart calendaire", kind=Kind.SIGNED_PERCENT),
        title="Écarts",
        threshold=0.2,
    )
    assert sentence == (
        f"Écarts : 3 projet(s), dont 2 au-delà du seuil d'alerte de 20{NB}% ; plus fort écart budgétaire : "
        f"A (+50,0{NB}%) ; plus fort écart calendaire : B (+90,0{NB}%)."
    )


def test_level_sentence_reads_each_group() -> None:
    frame = pl.DataFrame(
        {"d": ["Budget", "Budget", "Calendrier"], "l": ["> 10 %", "> 20 %", "> 10 %"], "n": [12, 8, 5]}
    )
    sentence = level_sentence(
        frame, Column(field="d", header="Dérive"), Column(field="l", header="Niveau"), COUNT, title="Projets signalés"
    )
    assert sentence == "Projets signalés : Budget : > 10 % : 12, > 20 % : 8 ; Calendrier : > 10 % : 5."


def test_series_sentence_keeps_the_order_of_appearance_and_skips_unmeasured_series() -> None:
    frame = pl.DataFrame(
        {
            "e": [date(2017, 5, 1), date(2016, 11, 1), date(2016, 11, 1), date(2017, 5, 1), date(2016, 11, 1)],
            "v": [None, 3.0, None, 3.0, 1.0],
            "s": ["B", "A", "C", "A", "B"],
        }
    )
    sentence = series_sentence(
        frame,
        Column(field="e", header="Édition", kind=Kind.MONTH),
        Column(field="v", header="Coût (M€)", kind=Kind.MONEY),
        Column(field="s", header="Série"),
        title="Coût",
    )
    # B first (its first row is unmeasured), C left out, A's tied maximum at its earliest edition
    assert sentence == (
        f"Coût, de 11/2016 à 05/2017 : B : de 1,0{NB}M€ (11/2016) à 1,0{NB}M€ (11/2016), maximum 1,0{NB}M€ "
        f"(11/2016) ; A : de 3,0{NB}M€ (11/2016) à 3,0{NB}M€ (05/2017), maximum 3,0{NB}M€ (11/2016)."
    )
