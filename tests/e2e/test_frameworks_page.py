"""The « Accords-cadres agiles » page in a real browser: it opens on the current framework with figures per lot, and
an orders ledger uploaded through the real uploader changes them by the amounts of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.formatting import format_eur_as_meur
from tests.e2e.browser_helpers import (
    RENDER_TIMEOUT_MS,
    address,
    expect,
    metric_values,
    settled_value,
    wait_rendered,
)
from tests.e2e.server import CHROMIUM

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} absent (apt-get install chromium)"),
]

LEDGER = "\r\n".join(
    [
        "Date du bon de commande;Bénéficiaire;Titulaire;Lot;Référence du bon de commande;Montant HT (€);Statut",
        "02/04/2026;DINUM;OCTO Technology;25_BAM_044_AC01;BC-A;2 400 000,00;émis",
        "10/06/2026;Agence bio;THEODO;25_BAM_044_AC01;BC-B;600 000;terminé",
    ]
)


def committed(page) -> dict[str, str]:
    shown = metric_values(page)
    return {series: shown.get(f"Engagé · {series}", "") for series in ("lot 1", "lot 2", "ensemble")}


def test_opens_on_the_current_framework_and_a_ledger_upload_changes_lot_1(
    page, app_url: str, tmp_path: Path, screenshots: Path
) -> None:
    page.goto(f"{app_url}/marches")
    wait_rendered(page)
    expect()(page.get_by_role("heading", name="Accords-cadres agiles", exact=True)).to_be_visible()
    default = {
        "lot 1": format_eur_as_meur(11e6),
        "lot 2": format_eur_as_meur(6e6),
        "ensemble": format_eur_as_meur(17e6),
    }
    assert settled_value(lambda: committed(page), default) == default
    assert metric_values(page)["Part du maximum · lot 1"] == "5,5\u00a0%"
    expect()(page.get_by_test_id("stAlert").filter(has_text="Données simulées").first).to_be_visible()
    page.screenshot(path=str(screenshots / "accords-cadres.png"), full_page=True)

    page.get_by_role("tab", name="Lot 1 (25_BAM_044_AC01)").click()
    page.wait_for_function("() => location.href.includes('lot=25_BAM_044_AC01')", timeout=RENDER_TIMEOUT_MS)
    wait_rendered(page)
    assert "lot=25_BAM_044_AC01" in address(page)

    ledger = tmp_path / "registre-test.csv"
    ledger.write_text(LEDGER, encoding="utf-8-sig")
    panel = page.get_by_test_id("stExpander").filter(has_text="Registre des bons de commande")
    panel.get_by_text("Registre des bons de commande").first.click()
    panel.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(ledger))
    success = page.get_by_test_id("stAlert").filter(has_text="Registre « registre-test.csv » chargé")
    expect()(success).to_contain_text("2 bon(s) de commande", timeout=RENDER_TIMEOUT_MS)
    wait_rendered(page)
    uploaded = {"lot 1": format_eur_as_meur(3e6), "lot 2": format_eur_as_meur(6e6), "ensemble": format_eur_as_meur(9e6)}
    assert settled_value(lambda: committed(page), uploaded) == uploaded
    assert "lot=25_BAM_044_AC01" in address(page)  # the upload keeps the view
    page.screenshot(path=str(screenshots / "accords-cadres-registre.png"), full_page=True)
