"""What a DECP read did: French errors and warnings for the analyst, and the counts the page shows."""

from __future__ import annotations

import polars as pl
from pydantic import BaseModel, Field

MAX_EXAMPLES = 10  # messages listed per kind of problem; the rest are counted in one line


class DecpReport(BaseModel):
    """Outcome of reading one file; `errors` non-empty means no usable table was produced."""

    file_name: str
    source_format: str | None = None
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # normalisations applied (what was changed)
    rows_read: int = 0
    superseded_rows_dropped: int = 0  # rows of earlier states (donneesActuelles = non)
    duplicates_collapsed: int = 0
    contracts_kept: int = 0
    invalid_siret: int = 0
    flagged_amounts: int = 0
    future_dates: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def warn_rows(self, messages: pl.DataFrame, column: str = "message") -> None:
        """Append up to MAX_EXAMPLES messages from a frame, then one line counting the others."""
        self.warnings.extend(_capped(messages, column))


def _capped(messages: pl.DataFrame, column: str) -> list[str]:
    listed = messages.get_column(column).head(MAX_EXAMPLES).to_list()
    remaining = messages.height - len(listed)
    if remaining > 0:
        listed.append(f"… et {remaining} autre(s) ligne(s) du même type.")
    return listed
