"""AppTest steps of the edition import panel (page « Données et méthode »), as a person takes them."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from analytics.params.vocabulary import Vocabulary
from pages.common.context import CONTEXT_KEY
from pages.common.import_panel import CHOICE_KEY, CHOSEN_MODE, MODE_KEY, MONTH_KEY, UPLOAD_KEY
from tests.app_helpers import key


def click(at: AppTest, label: str) -> AppTest:
    """Click the button labelled `label` (it must be there and enabled) and run."""
    button = next(b for b in at.button if b.label == label)
    assert not button.disabled, f"« {label} » is disabled"
    return button.click().run()


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def check_file(at: AppTest, name: str, content: bytes, month: date | None = None) -> AppTest:
    """Choose a file (and an edition month, else the file's own date), then « Vérifier le fichier »."""
    at.file_uploader(key=UPLOAD_KEY).set_value((name, content, "text/csv"))
    if month is not None:
        at.radio(key=MODE_KEY).set_value(CHOSEN_MODE).run()
        at.date_input(key=MONTH_KEY).set_value(month)
    at.run()
    return click(at, "Vérifier le fichier")


def answer_overlap(at: AppTest, choice: str) -> AppTest:
    """Answer the overlap question: `REPLACE` (« Remplacer l'édition AAAA-MM ») or `SEPARATE` (« Garder à part »)."""
    return at.radio(key=CHOICE_KEY).set_value(choice).run()


def sidebar_editions(at: AppTest) -> list[str]:
    """The sidebar's edition list, newest first, as it shows them."""
    return list(at.selectbox(key=key("edition")).options)


def vocabulary(at: AppTest) -> Vocabulary:
    return at.session_state[CONTEXT_KEY].vocab


def view_version(at: AppTest) -> str:
    return at.session_state[CONTEXT_KEY].view.version
