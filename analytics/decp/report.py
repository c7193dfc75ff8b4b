"""What a file read did: French errors and warnings for the analyst, and the counts the page shows."""

from __future__ import annotations

import polars as pl
from pydantic import BaseModel, Field

from analytics.intake import Issue, Level, Refusal

MAX_EXAMPLES = 10  # messages listed per kind of problem; the rest are counted in one line


class FileReport(BaseModel):
    """Outcome of reading one uploaded or configured file; `errors` non-empty means nothing usable was produced.

    `columns_used` says which column of the file fed each field of our model (e.g. the holder's name read from
    `titulaire_nom` in a consolidated national file), so that the analyst can check the mapping.
    """

    file_name: str
    source_format: str | None = None
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # normalisations applied (what was changed)
    rows_read: int = 0
    columns_used: dict[str, str] = Field(default_factory=dict)  # model field -> column(s) of the file

    located: list[Issue] = Field(default_factory=list)  # structured form of messages added through `add`

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def file(self) -> str:
        return self.file_name

    def add(self, level: Level, text: str, *, row: int | None = None, column: str | None = None) -> None:
        """Record a message located by spreadsheet row and column, in the report's list of that level."""
        where = f"{self.file_name}, ligne {row}" if row is not None else self.file_name
        message = f"{where} : {text}"
        self.located.append(Issue(level=level, file=self.file_name, row=row, column=column, message=message))
        {"error": self.errors, "warning": self.warnings, "note": self.notes}[level].append(message)

    def refuse(self, refusal: Refusal, hint: str = "") -> None:
        """Record an intake refusal as an error, with an optional hint on what to do."""
        self.add("error", refusal.reason.removesuffix(".") + hint + ".", row=refusal.row)

    @property
    def issues(self) -> list[Issue]:
        """Every message in the shared report model (the one report panel shows both readers' reports).

        Messages added through `add` keep their location; the others, written as whole sentences by the
        normalisation rules, carry the file name only.
        """
        located = {(issue.level, issue.message): issue for issue in self.located}
        levels: list[tuple[Level, list[str]]] = [
            ("error", self.errors),
            ("warning", self.warnings),
            ("note", self.notes),
        ]
        return [
            located.get((level, message)) or Issue(level=level, file=self.file_name, message=message)
            for level, messages in levels
            for message in messages
        ]

    def warn_rows(self, messages: pl.DataFrame, column: str = "message") -> None:
        """Append up to MAX_EXAMPLES messages from a frame, then one line counting the others."""
        self.warnings.extend(_capped(messages, column))

    def error_rows(self, messages: pl.DataFrame, column: str = "message") -> None:
        """As `warn_rows`, for defects that make the whole file unusable."""
        self.errors.extend(_capped(messages, column))


class DecpReport(FileReport):
    """Outcome of reading one DECP file, with the counts of its quality signals."""

    superseded_rows_dropped: int = 0  # rows of earlier states (donneesActuelles = non)
    duplicates_collapsed: int = 0
    contracts_kept: int = 0
    invalid_siret: int = 0
    flagged_amounts: int = 0
    future_dates: int = 0


def _capped(messages: pl.DataFrame, column: str) -> list[str]:
    listed = messages.get_column(column).head(MAX_EXAMPLES).to_list()
    remaining = messages.height - len(listed)
    if remaining > 0:
        listed.append(f"… et {remaining} autre(s) ligne(s) du même type.")
    return listed
