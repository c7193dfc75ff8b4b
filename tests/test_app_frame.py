"""The frame: shared filters, URL state, notices for stale links, reset, meeting mode."""

from __future__ import annotations

import pytest

from tests.app_helpers import PAGES, export_menus, key, metrics, open_app, open_panel, query, texts


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_opens_with_default_data(page):
    at = open_app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "each page has a French title"


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_opens_with_a_filtered_link(page):
    at = open_app(page, {"edition": "2018-07", "ministere": "interieur", "phase": "deploiement", "seuil": "10"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key=key("ministries")).value == ["interieur"]
    assert at.multiselect(key=key("phases")).value == ["Déploiement"]
    assert at.text_input(key=key("drift_threshold")).value == "10"


def test_widgets_write_the_url_and_defaults_stay_out_of_it():
    at = open_app()
    assert query(at) == {}
    at.multiselect(key=key("ministries")).set_value(["interieur", "justice"]).run()
    at.text_input(key=key("drift_threshold")).set_value("35").run()
    at.toggle(key=key("interministerial_only")).set_value(True).run()
    at.text_input(key=key("query")).set_value("etat civil").run()
    assert query(at) == {"ministere": ["interieur", "justice"], "seuil": "35", "inter": "1", "q": "etat civil"}
    at.text_input(key=key("drift_threshold")).set_value("20").run()
    assert "seuil" not in query(at)


def test_edition_change_moves_a_default_comparison_along():
    at = open_app()
    at.selectbox(key=key("edition")).set_value(at.selectbox(key=key("edition")).options[3]).run()
    edition = at.selectbox(key=key("edition")).value
    compare = at.selectbox(key=key("compare")).value
    assert compare < edition
    assert set(query(at)) == {"edition"}, "a comparison left at its default stays out of the URL"


def test_stale_and_hostile_link_loads_valid_part_with_french_notices():
    at = open_app(
        "overview",
        {
            "edition": "2031-01",
            "ministere": ["interieur", "ministere-inconnu"],
            "seuil": "beaucoup",
            "phase": "<script>alert(1)</script>",
            "mode": "turbo",
            "projet": "n-existe-pas",
        },
    )
    assert not at.exception
    notices = "\n".join(w.value for w in at.warning)
    assert "Édition « 2031-01 » inconnue" in notices
    assert "« ministere-inconnu »" in notices
    assert "Paramètre « seuil » : valeur « beaucoup » illisible" in notices
    assert "mode « turbo » inconnu" in notices
    assert "« projet » propre à la page Projets : ignoré sur cette page" in notices
    assert at.multiselect(key=key("ministries")).value == ["interieur"]
    assert query(at) == {"ministere": "interieur"}


def test_reset_clears_filters_and_url():
    at = open_app("overview", {"ministere": "interieur", "seuil": "50", "inter": "1"})
    reset = next(b for b in at.button if b.label == "Réinitialiser les filtres")
    reset.click().run()
    assert not at.exception
    assert at.multiselect(key=key("ministries")).value == []
    assert at.text_input(key=key("drift_threshold")).value == "20"
    assert query(at) == {}


def test_permalink_pins_the_edition_and_keeps_filters():
    at = open_app("overview", {"ministere": "justice"})
    link = next(c.value for c in at.code)
    assert "edition=2021-11" in link and "ministere=justice" in link


def test_meeting_mode_hides_downloads_and_keeps_key_figures():
    normal = open_app("overview")
    meeting = open_app("overview", {"mode": "reunion"})
    assert not meeting.exception
    assert metrics(meeting) == metrics(normal)
    downloads = [d.key for d in meeting.get("download_button")]
    assert downloads == ["briefing_page", "briefing_all"], "on a projector only the briefing is offered"
    assert export_menus(meeting) == [] and len(export_menus(normal)) > 2
    opened = open_panel(normal, export_menus(normal)[0])
    assert len(opened.get("download_button")) > 2, "an opened menu offers its files"
    assert query(meeting) == {"mode": "reunion"}
    assert "aucun filtre" not in texts(meeting)
