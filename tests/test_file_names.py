"""Download names carry the view and its filters, in ASCII, bounded."""

from analytics.file_names import view_file_name
from analytics.selection import Selection


def test_the_name_says_the_view_and_its_filters() -> None:
    selection = Selection(ministries=("interieur",), phases=("Déploiement",), interministerial_only=True)
    name = view_file_name("dossier-derives-2021-11", selection, "pdf")
    assert name == "dossier-derives-2021-11_interieur_deploiement_interministeriels.pdf"


def test_hostile_text_and_length_are_tamed() -> None:
    name = view_file_name("x", Selection(query="../../etc/passwd <script> " + "a" * 500), "csv")
    assert name.endswith(".csv") and "/" not in name and "<" not in name and len(name) <= 124
    assert view_file_name("", Selection(), "pdf") == "export.pdf"
