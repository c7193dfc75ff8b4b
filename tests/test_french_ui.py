"""The French interface script: its dictionary, its patterns and its safety (browser behaviour: tests/e2e)."""

from __future__ import annotations

import json
import re

import pytest

from pages.common.french_ui import FRENCH_UI_PATTERNS, FRENCH_UI_STRINGS, MARKER, french_ui_html

ENGLISH_WORDS = re.compile(r"\b(the|and|of|to|file|files|show|hide|download|search|sort|column|sidebar|help)\b", re.I)


def test_every_string_is_replaced_by_french() -> None:
    for english, french in FRENCH_UI_STRINGS.items():
        assert french and french != english, english
        assert not ENGLISH_WORDS.search(french), french


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Help for Édition", "Aide : Édition"),
        ("50MB per file", "50\u00a0Mo par fichier"),
        ("File must be 50.0MB or smaller.", "Le fichier doit faire au plus 50,0\u00a0Mo."),
        ("0 options available.", "0 option(s) disponible(s)."),
        ("Drag and drop file here", "Glisser-déposer le fichier ici"),
        ("x.txt, 1.0B", "x.txt, 1,0\u00a0o"),
        ("text/plain files are not allowed.", "Fichiers de type text/plain non acceptés."),
    ],
)
def test_patterns_translate_the_strings_that_carry_a_value(english: str, french: str) -> None:
    """The same rules as the script's, in Python (JavaScript and Python agree on these simple expressions)."""
    if english in FRENCH_UI_STRINGS:
        assert FRENCH_UI_STRINGS[english] == french
        return
    units = {"B": "o", "KB": "Ko", "MB": "Mo", "GB": "Go", "TB": "To"}
    for source, template in FRENCH_UI_PATTERNS:
        match = re.match(source, english)
        if match:
            size = re.sub(
                r"^(\d+(?:\.\d+)?)\s?([KMGT]?B)$",
                lambda m: m[1].replace(".", ",") + "\u00a0" + units[m[2]],
                match[match.re.groups],
            )
            assert template.replace("{size}", size).replace("$1", match[1]) == french
            return
    pytest.fail(f"aucune règle pour « {english} »")


def test_script_cannot_be_closed_by_a_string_and_carries_the_dictionary() -> None:
    html = french_ui_html()
    script = html[html.index("<script>") + len("<script>") : -len("</script>")]
    assert html.endswith("</script>") and "<" not in script
    assert f'class="{MARKER}"' in html
    payload = script[
        script.index("const config = ") + len("const config = ") : script.index(";\n  document.documentElement")
    ]
    config = json.loads(payload)
    assert config["strings"] == FRENCH_UI_STRINGS
    assert 'document.documentElement.lang = "fr"' in html


def test_script_writes_text_and_attributes_only() -> None:
    script = french_ui_html()
    assert "innerHTML" not in script and "outerHTML" not in script and "insertAdjacentHTML" not in script
    assert "nodeValue =" in script and "setAttribute(" in script
