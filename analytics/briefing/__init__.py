"""Briefing document (« dossier de séance »): content models, builders per page, typst rendering to PDF.

Pure: no Streamlit. The page calls `build_briefing` from a download button (`data=callable`).
"""

from analytics.briefing.build import briefing_content, build_briefing, presenter_pages
from analytics.briefing.contracts_section import FrameworkBriefing
from analytics.briefing.model import PAGE_TITLES, PRESENTER_ORDER, SIMULATED_LABEL_FR, Briefing, PageId
from analytics.briefing.print_css import PRINT_STYLE
from analytics.briefing.render import BriefingError

__all__ = [
    "PAGE_TITLES",
    "PRESENTER_ORDER",
    "PRINT_STYLE",
    "SIMULATED_LABEL_FR",
    "Briefing",
    "BriefingError",
    "FrameworkBriefing",
    "PageId",
    "briefing_content",
    "build_briefing",
    "presenter_pages",
]
