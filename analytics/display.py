"""Column display model: one description per table drives the screen, the downloads and the chart data tables.

Each column has a French header, a kind (money, percent, date…), its decimals and whether it is a drift coloured
against the alert threshold. `TableSpec.values` gives the numbers in the unit and rounding shown (what the grid
sorts and what its accessible layer reads), `TableSpec.texts` the exact French text shown (what the CSV holds),
so a figure cannot read `-41,7 %` on screen and `-0,4171647727272728` in a download.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import NamedTuple

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, model_validator

from analytics.engine import IN_MEMORY
from analytics.formatting import MISSING, NARROW_NBSP, NBSP, format_pct, round_expr
from analytics.panorama.drift import exceeds_threshold


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"  # M€ (the unit is in the header)
    PERCENT = "percent"  # a share stored as a fraction, shown ×100 with « % »
    SIGNED_PERCENT = "signed_percent"  # a drift stored as a fraction: `+12,3 %`, `-41,7 %`
    YEARS = "years"  # the unit is in the header
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"  # 31/12/2021
    MONTH = "month"  # 12/2021
    BOOL = "bool"  # oui / non
    LINK = "link"  # an address: a link on screen, the address itself in downloads


PERCENT_KINDS = frozenset({Kind.PERCENT, Kind.SIGNED_PERCENT})
NUMERIC_KINDS = frozenset({Kind.MONEY, Kind.YEARS, Kind.INTEGER, Kind.NUMBER, *PERCENT_KINDS})
DEFAULT_DECIMALS: Mapping[Kind, int] = {Kind.INTEGER: 0}
_DATE_PATTERNS: Mapping[Kind, str] = {Kind.DATE: "%d/%m/%Y", Kind.MONTH: "%m/%Y"}
_EXCEL_DATE_FORMATS: Mapping[Kind, str] = {Kind.DATE: "dd/mm/yyyy", Kind.MONTH: "mm/yyyy"}
YES_FR, NO_FR = "oui", "non"


_CLASS_SUFFIX = "__class"
_TEXT_SUFFIX = "__text"
DRIFT_TOLERANCE = 1e-9  # as analytics.panorama.drift: a drift of exactly 0 is not rising


class DriftClass(StrEnum):
    """How a drift reads: told apart by colour, by its sign and by the « ⚠ » mark above the threshold."""

    ABOVE = "above"
    RISING = "rising"
    FALLING = "falling"  # or stable: a falling cost is good news


DRIFT_MARK = "⚠"
DRIFT_COLOURS: Mapping[DriftClass, str] = {
    DriftClass.ABOVE: "#CE0500",  # DSFR error
    DriftClass.RISING: "#B34000",  # DSFR warning
    DriftClass.FALLING: "#18753C",  # DSFR success
}


def drift_legend_fr(threshold: float) -> str:
    """The legend every table with coloured drifts shows next to it."""
    return (
        f"Écarts : « {DRIFT_MARK} » et rouge gras au-delà du seuil d'alerte ({format_pct(threshold, 0)}) ; "
        "orange, signe +, en hausse sous le seuil ; vert, signe - ou 0, en baisse ou stable."
    )


class DisplaySpecError(ValueError):
    """A table and its display model disagree (a programming error, said in French)."""


class Column(BaseModel):
    """How one column of a table is shown and exported."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str  # column of the frame handed to the table
    header: str  # French header, on screen and in downloads
    kind: Kind = Kind.TEXT
    decimals: int | None = Field(default=None, ge=0, le=6)  # None: 0 for integers, 1 otherwise
    drift: bool = False  # coloured and marked against the alert threshold
    help: str | None = None  # the header's tooltip on screen
    missing: str = MISSING  # text of an empty cell (« Non publiée » for a phase)

    @model_validator(mode="after")
    def _drift_is_a_number(self) -> Column:
        if self.drift and self.kind not in NUMERIC_KINDS:
            raise ValueError(f"Colonne « {self.header} » : seule une colonne de nombres peut porter une dérive.")
        return self

    @property
    def places(self) -> int:
        return self.decimals if self.decimals is not None else DEFAULT_DECIMALS.get(self.kind, 1)

    @property
    def scale(self) -> float:
        """Factor from the stored value to the shown one (fractions are shown as percentages)."""
        return 100.0 if self.kind in PERCENT_KINDS else 1.0

    @property
    def excel_format(self) -> str | None:
        """Excel number format that shows the stored value as the screen does (Excel applies its own locale)."""
        if self.kind in _EXCEL_DATE_FORMATS:
            return _EXCEL_DATE_FORMATS[self.kind]
        if self.kind not in NUMERIC_KINDS:
            return None
        digits = "0" + ("." + "0" * self.places if self.places else "")
        if self.kind is Kind.SIGNED_PERCENT:
            return f"+{digits}%;-{digits}%;{digits}%"
        if self.kind is Kind.PERCENT:
            return f"{digits}%"
        return "#,##" + digits


def _is_number(expr: pl.Expr) -> pl.Expr:
    return expr.is_not_null() & expr.is_finite()


def shown_number(expr: pl.Expr, column: Column) -> pl.Expr:
    """The figure as shown: in the shown unit, rounded to the shown decimals; NaN and infinities are missing."""
    return pl.when(_is_number(expr)).then(round_expr(expr * column.scale, column.places)).cast(pl.Float64)


def number_text(shown: pl.Expr, places: int, *, signed: bool = False) -> pl.Expr:
    """`-1234.5` -> `-1 234,5` (narrow no-break space, decimal comma), never `-0,0`; `+` when signed."""
    units = (shown.abs() * 10**places).round(0).cast(pl.Int64)
    whole = (units // 10**places).cast(pl.String)
    grouped = (
        whole.str.reverse().str.replace_all(r"(\d{3})", "${1}" + NARROW_NBSP).str.strip_chars_end(NARROW_NBSP)
    ).str.reverse()
    body = grouped + pl.lit(",") + (units % 10**places).cast(pl.String).str.zfill(places) if places else grouped
    sign = pl.when(units == 0).then(pl.lit("")).when(shown < 0).then(pl.lit("-"))
    sign = sign.when(pl.lit(signed)).then(pl.lit("+")).otherwise(pl.lit(""))
    return pl.when(shown.is_not_null()).then(sign + body)


def _text_of(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if isinstance(dtype, pl.List):
        return expr.list.eval(pl.element().cast(pl.String)).list.join(", ")
    return expr.cast(pl.String)


class TableSpec(BaseModel):
    """The display model of one table: its columns, in order."""

    model_config = ConfigDict(frozen=True)

    columns: tuple[Column, ...]

    @classmethod
    def of(cls, *columns: Column) -> TableSpec:
        return cls(columns=columns)

    @model_validator(mode="after")
    def _unique(self) -> TableSpec:
        for attribute in ("field", "header"):
            names = [getattr(c, attribute) for c in self.columns]
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(f"Modèle d'affichage : {attribute} en double : {', '.join(repeated)}.")
        return self

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def drift_columns(self) -> list[Column]:
        return [c for c in self.columns if c.drift]

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)

    def check(self, df: pl.DataFrame) -> None:
        missing = [c.field for c in self.columns if c.field not in df.columns]
        if missing:
            raise DisplaySpecError(
                f"Colonne(s) absente(s) du tableau : {', '.join(missing)} (présentes : {', '.join(df.columns)})."
            )

    def _value(self, column: Column, dtype: pl.DataType) -> pl.Expr:
        source = pl.col(column.field)
        if column.kind is Kind.INTEGER:
            return shown_number(source, column).cast(pl.Int64)
        if column.kind in NUMERIC_KINDS:
            return shown_number(source, column)
        if column.kind in _DATE_PATTERNS:
            return source.cast(pl.Date)
        if column.kind is Kind.BOOL:
            return pl.when(source).then(pl.lit(YES_FR)).when(source.not_()).then(pl.lit(NO_FR))
        return _text_of(source, dtype)

    def _classes(self, threshold: float) -> list[pl.Expr]:
        """One class per drift cell (null when the drift is unknown), by the app's one over-threshold rule
        (`analytics.panorama.drift.exceeds_threshold`, on the drift itself): the colour says what the counts say."""
        return [
            pl.when(exceeds_threshold(pl.col(c.field), threshold))
            .then(pl.lit(DriftClass.ABOVE.value))
            .when(pl.col(c.field) > DRIFT_TOLERANCE)
            .then(pl.lit(DriftClass.RISING.value))
            .when(pl.col(c.field).is_finite())
            .then(pl.lit(DriftClass.FALLING.value))
            .alias(c.header)
            for c in self.drift_columns
        ]

    def _text(self, column: Column, above: pl.Expr | None) -> pl.Expr:
        shown = pl.col(column.header)
        if column.kind in NUMERIC_KINDS:
            text = number_text(shown, column.places, signed=column.kind is Kind.SIGNED_PERCENT)
            if column.kind in PERCENT_KINDS:
                text = text + pl.lit(f"{NBSP}%")
            if column.drift and above is not None:
                text = pl.when(above).then(pl.lit(f"{DRIFT_MARK} ") + text).otherwise(text)
        elif column.kind in _DATE_PATTERNS:
            text = shown.dt.strftime(_DATE_PATTERNS[column.kind])
        else:
            text = shown
        return text.fill_null(column.missing)

    def texts(self, df: pl.DataFrame, threshold: float | None = None) -> pl.DataFrame:
        """Every cell as the French text shown on screen (`–` when missing): what the CSV holds."""
        return self.on_screen(df, threshold).texts

    def on_screen(self, df: pl.DataFrame, threshold: float | None = None) -> OnScreen:
        """`values`, `texts` and (with a threshold) the drift class of each drift cell of `df`, from one query: a
        table drawn on screen needs all three, and each query costs more than its work on a page's few hundred rows."""
        self.check(df)
        drift_headers = [c.header for c in self.drift_columns] if threshold is not None else []
        classes = [e.name.suffix(_CLASS_SUFFIX) for e in self._classes(threshold)] if drift_headers else []
        marks = {h: pl.col(f"{h}{_CLASS_SUFFIX}") == DriftClass.ABOVE.value for h in drift_headers}
        frame = (
            df.lazy()
            .select(*(self._value(c, df.schema[c.field]).alias(c.header) for c in self.columns), *classes)
            .with_columns(self._text(c, marks.get(c.header)).alias(f"{c.header}{_TEXT_SUFFIX}") for c in self.columns)
            .collect(engine=IN_MEMORY)
        )
        return OnScreen(  # columns taken as they are: a `select` would be a query of its own
            values=frame[self.headers],
            texts=pl.DataFrame([frame.get_column(f"{h}{_TEXT_SUFFIX}").alias(h) for h in self.headers]),
            classes=pl.DataFrame([frame.get_column(f"{h}{_CLASS_SUFFIX}").alias(h) for h in drift_headers]),
        )


class OnScreen(NamedTuple):
    """A table as drawn: the grid's data, its French texts, its drift classes (no column without a threshold)."""

    values: pl.DataFrame  # numbers in the shown unit and rounding, dates as dates, `oui`/`non`, text
    texts: pl.DataFrame
    classes: pl.DataFrame


def spec_from_formats(
    schema: Mapping[str, pl.DataType],
    *,
    money: Iterable[str] = (),
    percent: Iterable[str] = (),
    years: Iterable[str] = (),
    integers: Iterable[str] = (),
    months: Iterable[str] = (),
    drift: bool = False,
) -> TableSpec:
    """A display model for a frame whose columns already carry their French headers (the lists of `show_table`).

    `percent` columns are signed drifts (coloured when `drift`); other numbers read as integers or with one
    decimal, dates as dd/mm/yyyy (mm/yyyy for `months`), booleans as oui/non.
    """
    listed: dict[str, Kind] = {
        **{name: Kind.MONEY for name in money},
        **{name: Kind.SIGNED_PERCENT for name in percent},
        **{name: Kind.YEARS for name in years},
        **{name: Kind.INTEGER for name in integers},
        **{name: Kind.MONTH for name in months},
    }

    def kind_of(name: str, dtype: pl.DataType) -> Kind:
        if name in listed:
            return listed[name]
        if dtype == pl.Boolean:
            return Kind.BOOL
        if dtype.is_temporal():
            return Kind.DATE
        if dtype.is_integer():
            return Kind.INTEGER
        return Kind.NUMBER if dtype.is_numeric() else Kind.TEXT

    columns = []
    for name, dtype in schema.items():
        kind = kind_of(name, dtype)
        columns.append(Column(field=name, header=name, kind=kind, drift=drift and kind is Kind.SIGNED_PERCENT))
    return TableSpec(columns=tuple(columns))


def _drift_column(field: str, header: str, measure: str) -> Column:
    return Column(
        field=field,
        header=header,
        kind=Kind.SIGNED_PERCENT,
        drift=True,
        help=f"{measure.capitalize()} / 1re {measure} publiée − 1 (depuis la 1re publication). "
        f"« {DRIFT_MARK} » et rouge : au-delà du seuil d'alerte.",
    )


PROJECTS_TABLE = TableSpec.of(
    Column(field="project_name", header="Projet"),
    Column(field="ministry_label", header="Ministère"),
    Column(field="phase", header="Phase", missing="Non publiée"),
    Column(field="cost_meur", header="Coût (M€)", kind=Kind.MONEY),
    _drift_column("budget_drift", "Écart budgétaire", "coût"),
    _drift_column("schedule_drift", "Écart calendaire", "durée"),
    Column(field="duration_years", header="Durée (ans)", kind=Kind.YEARS),
    Column(field="start_date", header="Début", kind=Kind.MONTH),
    Column(field="interministerial", header="Interministériel", kind=Kind.BOOL),
    Column(field="functional_zone", header="Zone fonctionnelle", missing="Non renseignée"),
)
"""The projects table of the Projets page, read from the panorama frame as loaded (one row per project)."""

PROJECT_HISTORY_TABLE = TableSpec.of(
    Column(field="edition", header="Édition", kind=Kind.MONTH),
    Column(field="project_name", header="Nom publié"),
    Column(field="ministry_name", header="Ministère (publié)"),
    Column(field="phase", header="Phase", missing="Non publiée"),
    Column(field="cost_meur", header="Coût (M€)", kind=Kind.MONEY),
    _drift_column("budget_drift", "Écart budgétaire", "coût"),
    Column(field="duration_years", header="Durée (ans)", kind=Kind.YEARS),
    _drift_column("schedule_drift", "Écart calendaire", "durée"),
)
"""The trajectory table of a project sheet, edition by edition."""
