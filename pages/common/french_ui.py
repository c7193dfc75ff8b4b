"""French for the page itself: `lang="fr"` and Streamlit's own interface strings, replaced in the browser.

Streamlit 1.67 has no locale setting: its skip link, sidebar buttons, grid toolbar, uploader and chart
toolbar speak English, and the document is `<html lang="en">` (a screen reader then reads French with an
English voice). `install_french_ui` adds one small script, run in the app's own document, that sets
`lang="fr"` and watches the DOM (a MutationObserver) to swap the known English strings for French ones as
Streamlit draws them, across reruns and page changes.

Safety: the script only ever writes text (`nodeValue`) and plain attributes (`setAttribute`), never HTML, and
leaves text inside user content (Markdown, tables, charts, code) alone, so data can neither be reinterpreted
as markup nor be "translated" when a project happens to be called « Search ».
"""

from __future__ import annotations

import json

import streamlit as st

# Exact strings, in text nodes or in the attributes below.
FRENCH_UI_STRINGS: dict[str, str] = {
    # page frame and navigation
    "Skip to main content": "Aller au contenu principal",
    "Collapse sidebar": "Replier le panneau latéral",
    "Expand sidebar": "Déplier le panneau latéral",
    "Sidebar": "Panneau latéral",
    "App pages": "Pages de l'application",
    "Main menu": "Menu principal",
    "Link to heading": "Lien vers ce titre",
    "Running...": "Calcul en cours…",
    "Stop script": "Arrêter le calcul",
    "Dismiss": "Fermer",
    "Close": "Fermer",
    "Open": "Ouvrir",
    "Copy to clipboard": "Copier dans le presse-papiers",
    "Scroll tabs left": "Faire défiler les onglets vers la gauche",
    "Scroll tabs right": "Faire défiler les onglets vers la droite",
    "Markdown content": "Contenu",
    # connection states (the server restarting, a lost network)
    "Connecting": "Connexion…",
    "Connection error": "Erreur de connexion",
    "Please wait...": "Veuillez patienter…",
    "Connection lost. Please wait for the app to reconnect, then try again.": (
        "Connexion perdue. Attendez que l'application se reconnecte, puis réessayez."
    ),
    "Page not found": "Page introuvable",
    "Stop": "Arrêter",
    "Stopping...": "Arrêt en cours…",
    "Rerun": "Relancer",
    # inputs
    "Decrement": "Diminuer",
    "Increment": "Augmenter",
    "No results": "Aucun résultat",
    "No options": "Aucune option",
    "Choose an option": "Choisir une option",
    "Choose options": "Choisir des options",
    "Select...": "Choisir…",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer la valeur",
    "Selected values": "Valeurs choisies",
    "Select all": "Tout choisir",
    # file uploader
    "Upload": "Choisir un fichier",
    "Drag and drop file here": "Glisser-déposer le fichier ici",
    "Drag and drop files here": "Glisser-déposer les fichiers ici",
    "Drag and drop a file here": "Glisser-déposer un fichier ici",
    "Add files": "Ajouter des fichiers",
    "file upload": "Dépôt de fichier",
    "Remove file": "Retirer le fichier",
    "Error:": "Erreur :",
    "add icon": "ajouter",
    # data grid
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Type to search": "Tapez pour rechercher",
    "Close Search": "Fermer la recherche",
    "Next Result": "Résultat suivant",
    "Previous Result": "Résultat précédent",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Toggle fullscreen": "Plein écran",
    "Sort ascending": "Trier par ordre croissant",
    "Sort descending": "Trier par ordre décroissant",
    "Hide column": "Masquer la colonne",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Détacher la colonne",
    "Autosize": "Ajuster la largeur",
    "Copy column name": "Copier le nom de la colonne",
    "Dataframe column menu": "Menu de la colonne",
    "Clear selection": "Effacer la sélection",
    "No data": "Aucune donnée",
    "Automatic": "Automatique",
    "Localized": "Selon la langue",
    "Plain": "Brut",
    "Percent": "Pourcentage",
    "Scientific": "Scientifique",
    "Accounting": "Comptable",
    "Duration": "Durée",
    # charts (Vega toolbar and the roles Vega gives its marks)
    "Show data": "Voir les données",
    "Show chart": "Voir le graphique",
    "Download as PNG": "Télécharger en PNG",
    "Vega visualization": "Graphique",
    "visualization": "graphique",
    "bar": "barre",
    "circle": "cercle",
    "line mark": "ligne",
    "rule mark": "ligne de repère",
    "text mark": "texte",
    "legend": "légende",
    "axis": "axe",
    "group mark container": "groupe",
    "rect mark container": "barres",
    "symbol mark container": "symboles",
    "line mark container": "lignes",
    "rule mark container": "lignes de repère",
    "text mark container": "textes",
    "Copy Vega-Lite spec": "Copier la spécification Vega-Lite",
}

# Strings that carry a value: (JavaScript regular expression, French template; `$1` is the first captured value,
# `{size}` the last one, a file size, in French units). A known string followed by « : » and a name (a toolbar button
# of a table given an `alt`) is translated before the colon.
FRENCH_UI_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Help for (.+)$", "Aide : $1"),
    (r"^Remove (.+)$", "Retirer $1"),
    (r"^Upload (.+)$", "Choisir $1"),
    (r"^Drag and drop (.+) here$", "Glisser-déposer $1 ici"),
    (r"^(\d+(?:\.\d+)?\s?[KMGT]?B) per file$", "{size} par fichier"),
    (r"^File must be (\d+(?:\.\d+)?\s?[KMGT]?B) or smaller\.$", "Le fichier doit faire au plus {size}."),
    (r"^(.+) files are not allowed\.$", "Fichiers de type $1 non acceptés."),
    (r"^(\d+(?:\.\d+)?\s?[KMGT]?B)$", "{size}"),
    (r"^(.+), (\d+(?:\.\d+)?\s?[KMGT]?B)$", "$1, {size}"),
    (r"^(\d+) options? available\.$", "$1 option(s) disponible(s)."),
    (r"^(\d+) results? available\.$", "$1 résultat(s) disponible(s)."),
)

TRANSLATED_ATTRIBUTES = ("aria-label", "title", "placeholder", "aria-roledescription", "aria-valuetext")
# User content (labels, data, options, file names) and icon ligatures are never touched: text under
# `USER_TEXT` (unless under `STREAMLIT_TEXT`, Streamlit's own labels drawn as Markdown), attributes of
# elements under `USER_ATTRIBUTES`.
USER_ATTRIBUTES = "table[role='grid'], [role='option'], [data-baseweb='tag'], [data-testid='stFileChipName']"
USER_TEXT = (
    f"{USER_ATTRIBUTES}, [data-testid='stMarkdownContainer'], [data-testid='stCode'], [data-testid='stTable'], "
    "[data-testid='stVegaLiteChart'] svg, [data-testid='stMetricValue'], [data-testid='stText'], "
    "[data-testid='stIconMaterial'], [translate='no']"
)
STREAMLIT_TEXT = "[data-testid='stFileUploaderDropzone'] button"
# Empty-state texts drawn as a pseudo-option of a drop-down list: translated even there.
EVERYWHERE = ("No results", "No options")
MARKER = "panorama-french-ui"

_SCRIPT = """
(() => {
  const config = __CONFIG__;
  document.documentElement.lang = "fr";
  if (window.__panoramaFrenchUi) { window.__panoramaFrenchUi(document.body); return; }
  const units = { B: "o", KB: "Ko", MB: "Mo", GB: "Go", TB: "To" };
  const frenchSize = (size) => size.replace(/^(\\d+(?:\\.\\d+)?)\\s?([KMGT]?B)$/,
    (_, number, unit) => number.replace(".", ",") + "\\u00a0" + units[unit]);
  const patterns = config.patterns.map(([source, template]) => [new RegExp(source), template]);
  const translate = (value) => {
    if (Object.prototype.hasOwnProperty.call(config.strings, value)) return config.strings[value];
    for (const [pattern, template] of patterns) {
      const match = value.match(pattern);
      if (match) {
        return template.replace("{size}", () => frenchSize(match[match.length - 1])).replace("$1", () => match[1]);
      }
    }
    const colon = value.indexOf(": ");  // « Download as CSV: name of the table »
    if (colon > 0 && Object.prototype.hasOwnProperty.call(config.strings, value.slice(0, colon))) {
      return config.strings[value.slice(0, colon)] + " : " + value.slice(colon + 2);
    }
    return null;
  };
  const fixText = (node) => {
    const text = node.nodeValue;
    const key = text.trim();
    const parent = node.parentElement;
    if (!key || !parent) return;
    if (!config.everywhere.includes(key) && parent.closest(config.userText) && !parent.closest(config.streamlitText)) {
      return;
    }
    const french = translate(key);
    if (french !== null && french !== key) node.nodeValue = text.replace(key, french);
  };
  const fixElement = (element) => {
    if (element.closest(config.userAttributes)) return;
    for (const name of config.attributes) {
      const value = element.getAttribute(name);
      if (!value) continue;
      const french = translate(value);
      if (french !== null && french !== value) element.setAttribute(name, french);
    }
  };
  const fixTree = (root) => {
    if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    root.querySelectorAll("*").forEach(fixElement);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fixText(walker.currentNode);
  };
  new MutationObserver((records) => {
    if (document.documentElement.lang !== "fr") document.documentElement.lang = "fr";
    for (const record of records) {
      if (record.type === "childList") record.addedNodes.forEach(fixTree);
      else if (record.type === "characterData") fixText(record.target);
      else if (record.target !== document.documentElement) fixElement(record.target);
    }
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: [...config.attributes, "lang"],
  });
  window.__panoramaFrenchUi = fixTree;
  fixTree(document.body);
})();
"""

# The element holding the script takes no room in the page.
_HIDE = f"<style>.stElementContainer:has(.{MARKER}) {{ display: none; }}</style>"


def french_ui_html() -> str:
    """The script with its dictionary; no `<` inside it (Streamlit sanitises the HTML around the script, and a
    `<` could close or break it), so the dictionary's JSON escapes it."""
    config = {
        "strings": FRENCH_UI_STRINGS,
        "patterns": [list(pair) for pair in FRENCH_UI_PATTERNS],
        "attributes": list(TRANSLATED_ATTRIBUTES),
        "userText": USER_TEXT,
        "userAttributes": USER_ATTRIBUTES,
        "streamlitText": STREAMLIT_TEXT,
        "everywhere": list(EVERYWHERE),
    }
    payload = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    return f'{_HIDE}<div class="{MARKER}"></div><script>{_SCRIPT.replace("__CONFIG__", payload)}</script>'


def install_french_ui() -> None:
    """Call once per run from app.py, before `navigation.run()`: sets lang="fr" and translates Streamlit's UI."""
    st.html(french_ui_html(), unsafe_allow_javascript=True)
