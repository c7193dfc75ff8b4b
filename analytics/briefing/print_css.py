"""Print stylesheet of the app: the browser's « Imprimer » gives the page content alone, on A4.

Injected once by `app.py` (`st.html(PRINT_STYLE)`); it changes nothing on screen.
Selectors are Streamlit's `data-testid` attributes (checked against streamlit 1.67 by
tests/e2e/test_print_css.py, which prints a scratch page to PDF with Chromium).

Tables: `st.table` (an HTML table) runs over pages with its header repeated and no row cut. `st.dataframe`
draws only the rows in its scroll window on a canvas: a page that must print a table whole shows it
with `st.table` in print / meeting mode.
"""

PRINT_STYLE = """<style>
@media print {
  @page { size: A4; margin: 12mm 10mm 14mm 10mm; }

  /* Chrome of the app: sidebar, top bar, toolbars, status and decoration. */
  [data-testid="stSidebar"],
  [data-testid="stSidebarCollapsedControl"],
  [data-testid="stSidebarNav"],
  [data-testid="stHeader"],
  [data-testid="stToolbar"],
  [data-testid="stDecoration"],
  [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"],
  [data-testid="stBottom"],
  header, footer,
  .vega-embed .vega-actions, .vega-embed summary, .vega-embed details {
    display: none !important;
  }

  /* Anything to click: buttons, downloads, links styled as buttons, popovers, inputs of the page. */
  [data-testid="stButton"],
  [data-testid="stDownloadButton"],
  [data-testid="stLinkButton"],
  [data-testid="stPageLink"],
  [data-testid="stPopover"],
  [data-testid="stFormSubmitButton"],
  [data-testid="stFileUploader"],
  [data-testid="stBaseButton-header"],
  [data-testid="stBaseButton-headerNoPadding"],
  [data-testid^="stBaseButton"],
  button {
    display: none !important;
  }

  /* The content takes the whole sheet and flows: no fixed heights, no inner scrolling. */
  html, body, #root, .stApp,
  [data-testid="stApp"],
  [data-testid="stAppViewContainer"],
  [data-testid="stMain"],
  [data-testid="stMainBlockContainer"],
  .block-container {
    position: static !important;
    overflow: visible !important;
    height: auto !important;
    max-height: none !important;
    margin: 0 !important;
    padding: 0 !important;
    max-width: 100% !important;
    width: 100% !important;
  }
  [data-testid="stAppScrollToBottomContainer"], [data-testid="stVerticalBlock"] {
    overflow: visible !important;
  }
  /* Flex page frames become plain blocks, so that the browser can break their content across pages. */
  [data-testid="stAppViewContainer"], [data-testid="stMain"] { display: block !important; }

  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }

  /* Tables run over pages: header repeated on each, no row cut in two. */
  [data-testid="stTable"], [data-testid="stTable"] > div, [data-testid="stTableStyledTable"] {
    overflow: visible !important;
    max-height: none !important;
  }
  /* Streamlit lays its table out inline (`inline-table`): an inline box is printed in one piece, sliced
     at the page edge with its header once; as a block-level table it fragments row by row. */
  table, [data-testid="stTableStyledTable"] { display: table !important; break-inside: auto; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }

  /* Charts, metrics and callouts are never split; headings stay with what follows. */
  [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"], [data-testid="stMetric"],
  [data-testid="stAlert"], [data-testid="stImage"], figure, svg, canvas {
    break-inside: avoid;
    page-break-inside: avoid;
  }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
}
</style>
"""
