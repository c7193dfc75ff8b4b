"""Import a new panorama edition from a file uploaded by the user.

The file is read, checked and typed into a new frame with the canonical schema; nothing already
loaded is touched. Every problem becomes an `Issue` (analytics.intake, shared with the DECP reader)
with a French message that says which file, which spreadsheet row (header = row 1), which column
and why. `merge_edition` then builds a new frame with the imported edition added (or replacing an
existing one only when asked, for this session); analytics.panorama.edition_import keeps it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from typing import Literal

import polars as pl
from pydantic import BaseModel

from analytics.intake import (
    PANORAMA_LIMITS,
    SEPARATORS,
    UNREADABLE_WORKBOOK,
    IntakeLimits,
    Issue,
    Refusal,
    check_header,
    check_shape,
    check_size,
    check_zip,
    decode_text,
    sniff,
)
from analytics.panorama.loading import COST_HEADERS, PUBLISHED_HEADERS, Crosswalks, finalize
from analytics.panorama.parsing import (
    RAW_COLUMNS,
    is_missing,
    parse_month_start,
    parse_published_columns,
    withheld_figure,
    withheld_reason,
)
from analytics.panorama.schema import PHASES, PROJECT_EDITION_SCHEMA
from analytics.panorama.zones import attach_zones, empty_zone_crosswalk
from analytics.text import fold, slugify_expr

FileFormat = Literal["panorama", "data.gouv.fr"]

# data.gouv.fr export: header -> canonical raw name (None: read but not used).
DATAGOUV_HEADERS: dict[str, str | None] = {
    "Ministère porteur": "ministry_short",
    "Ministère nom complet": "ministry_name",
    "Nom du projet": "project_name",
    "Projet interministériel": "interministerial",
    "Description et objectifs du projet": "description",
    "En savoir plus sur le projet": None,
    "Début": "start_date",
    "Durée prévisionnelle en année": "duration_years",
    "Phase du projet en cours": "phase",
    "Coût estimé": "cost_meur",
    "Coût estimé par tranche": None,
    "Zone fonctionnelle": "functional_zone",
    "Financement [programme(s)]": "funding_programmes",
    "Lien vers les Projets Annuels de Performances": "funding_link",
    "Date de publication": "publication_date",
}

MAX_COST_MEUR = 100_000.0
MIN_COST_MEUR = 0.01  # 10 000 €: below, the figure was typed in euros or is noise; 0 stays (warned)
MAX_DURATION_YEARS = 50.0
MIN_DURATION_YEARS = 1 / 12  # one month
DOUBTFUL_SHORT_DURATION_YEARS = 1.0
# A published start may be a planned one (2021-11: SIV starts in September 2022): warn up to this
# many years after the edition, reject beyond, and reject starts before EARLIEST_START.
MAX_START_YEARS_AHEAD = 5
EARLIEST_START = date(1990, 1, 1)
DOUBTFUL_COST_HIGH_MEUR = 1_000.0
DOUBTFUL_COST_LOW_MEUR = 1.0
DOUBTFUL_DURATION_YEARS = 20.0

_SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
_VALUE_PREVIEW = 80


class ImportReport(BaseModel):
    """What the import found: blocking errors, warnings to review, and how the file was read."""

    file: str
    file_format: FileFormat | None = None
    encoding: str | None = None  # "UTF-8", "UTF-8 avec BOM", "Windows-1252" or "XLSX"
    separator: str | None = None
    edition: date | None = None
    rows: int = 0
    errors: list[Issue] = []
    warnings: list[Issue] = []

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def issues(self) -> list[Issue]:
        """Errors then warnings, for the report panel shared with the DECP upload."""
        return [*self.errors, *self.warnings]

    def add(
        self,
        level: Literal["error", "warning"],
        text: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        """Record an issue located as precisely as known."""
        parts = [f"Fichier « {self.file} »"]
        if row is not None:
            parts.append(f"ligne {row}")
        if column is not None:
            parts.append(f"colonne « {column} »")
        joiner = " " if text.startswith("illisible") else " : "
        body = text if value is None else f"valeur « {_preview(value)} »{joiner}{text}"
        message = f"{', '.join(parts)} : {body}"
        issue = Issue(level=level, file=self.file, row=row, column=column, value=value, message=message)
        (self.errors if level == "error" else self.warnings).append(issue)

    def refuse(self, refusal: Refusal) -> None:
        """Record an intake refusal as an error."""
        self.add("error", refusal.reason, row=refusal.row)


@dataclass(frozen=True)
class ImportResult:
    """The imported edition (PROJECT_EDITION_SCHEMA), or None when the report has errors."""

    frame: pl.DataFrame | None
    report: ImportReport


class EditionMergeError(ValueError):
    """An imported edition that cannot be merged; the message is French."""


def _preview(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _VALUE_PREVIEW else value[: _VALUE_PREVIEW - 1] + "…"


def _header_key(name: str) -> str:
    """Header compared without case, accents or repeated blanks."""
    return fold(name.replace("\ufeff", ""))


_KNOWN_HEADER_KEYS = {_header_key(name) for name in [*PUBLISHED_HEADERS, *COST_HEADERS, *DATAGOUV_HEADERS]}


# ---------------------------------------------------------------- reading bytes into text cells


def _sniff_separator(text: str) -> str:
    """The separator that splits the header into the most known column names, then into most fields."""
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""

    def score(separator: str) -> tuple[int, int]:
        fields = next(csv.reader([first_line], delimiter=separator), [])
        return sum(_header_key(f) in _KNOWN_HEADER_KEYS for f in fields), len(fields)

    return max(SEPARATORS, key=score)


def _read_workbook(content: bytes, report: ImportReport, limits: IntakeLimits) -> pl.DataFrame | None:
    """First sheet of an XLSX, all cells as text, once the zip directory has passed the intake guard."""
    report.encoding = "XLSX"
    refusal = check_zip(content, limits)
    if refusal is not None:
        report.refuse(refusal)
        return None
    try:
        return pl.read_excel(
            content,
            sheet_id=1,
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            drop_empty_cols=False,
            raise_if_empty=False,
        )
    except Exception:  # fastexcel raises several unrelated exception types on bad input
        report.refuse(UNREADABLE_WORKBOOK)
        return None


def _read_text(content: bytes, report: ImportReport, limits: IntakeLimits) -> pl.DataFrame | None:
    """CSV cells as text, once decoded and its header checked by the intake."""
    decoded = decode_text(content)
    refusal = decoded if isinstance(decoded, Refusal) else check_header(decoded[0], limits)
    if refusal is not None:
        report.refuse(refusal)
        return None
    text, report.encoding = decoded
    separator = _sniff_separator(text)
    report.separator = _SEPARATOR_NAMES[separator]
    try:
        return pl.read_csv(
            text.encode("utf-8"),
            separator=separator,
            has_header=False,
            infer_schema=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as error:
        report.add("error", f"CSV mal formé (guillemets ou nombre de colonnes) : {str(error).splitlines()[0]}")
        return None


def _read_cells(content: bytes, file_name: str, report: ImportReport, limits: IntakeLimits) -> pl.DataFrame | None:
    """All cells as text, header included as the first row, empty rows kept (row numbers hold)."""
    if not content.strip():
        report.add("error", "le fichier est vide.")
        return None
    kind = sniff(content, file_name)
    refusal = check_size(content, limits) or (kind if isinstance(kind, Refusal) else None)
    if refusal is not None:
        report.refuse(refusal)
        return None
    if kind == "xls":
        report.add(
            "error",
            "format Excel 97-2003 (.xls) non pris en charge, ou classeur protégé par mot de passe : "
            "enregistrez-le en XLSX sans mot de passe ou en CSV.",
        )
        return None
    if kind == "parquet":
        report.add("error", "fichier Parquet non pris en charge ici : CSV ou XLSX attendu.")
        return None
    cells = _read_workbook(content, report, limits) if kind == "zip" else _read_text(content, report, limits)
    refusal = None if cells is None else check_shape(max(cells.height - 1, 0), cells.width, limits)
    if refusal is not None:
        report.refuse(refusal)
        return None
    return cells


def _split_header(cells: pl.DataFrame, report: ImportReport) -> tuple[list[str], pl.DataFrame] | None:
    """Header names and data rows (with `_row`, the spreadsheet row); empty columns and rows dropped."""
    if cells.height == 0:
        report.add("error", "le fichier est vide.")
        return None
    header = [("" if v is None else str(v)).replace("\ufeff", "").strip() for v in cells.row(0)]
    data = cells.slice(1).with_row_index("_row", offset=2)
    keep: list[int] = []
    for index, name in enumerate(header):
        column = data.columns[index + 1]
        has_values = data.get_column(column).drop_nulls().str.strip_chars().ne("").any()
        if name:
            keep.append(index)
        elif has_values:
            report.add("error", f"la colonne n°{index + 1} n'a pas d'en-tête mais contient des valeurs.", row=1)
    keys = [_header_key(header[i]) for i in keep]
    duplicated = sorted({header[i] for i in keep if keys.count(_header_key(header[i])) > 1})
    for name in duplicated:
        report.add("error", f"en-tête « {name} » présent plusieurs fois.", row=1)
    if report.errors:
        return None
    data = data.select("_row", *[pl.col(data.columns[i + 1]).str.strip_chars().alias(header[i]) for i in keep])
    data = data.filter(~pl.all_horizontal(pl.exclude("_row").is_null() | (pl.exclude("_row") == "")))
    return [header[i] for i in keep], data


@dataclass(frozen=True)
class _Candidate:
    """How well a header fits one format: its columns found (file header -> raw name), missing and allowed."""

    file_format: FileFormat
    mapping: dict[str, str]
    missing: list[str]
    allowed: set[str]


def _panorama_candidate(by_key: dict[str, str]) -> _Candidate:
    mapping = {by_key[_header_key(n)]: raw for n, raw in PUBLISHED_HEADERS.items() if _header_key(n) in by_key}
    missing = [n for n in PUBLISHED_HEADERS if _header_key(n) not in by_key]
    costs = [by_key[_header_key(c)] for c in COST_HEADERS if _header_key(c) in by_key]
    if costs:
        mapping[costs[0]] = "cost_meur"
    else:
        missing.append(" ou ".join(COST_HEADERS))
    allowed = {_header_key(n) for n in [*PUBLISHED_HEADERS, *costs]}
    return _Candidate("panorama", mapping, missing, allowed)


def _datagouv_candidate(by_key: dict[str, str]) -> _Candidate:
    mapping = {by_key[_header_key(n)]: raw for n, raw in DATAGOUV_HEADERS.items() if raw and _header_key(n) in by_key}
    missing = [n for n in DATAGOUV_HEADERS if _header_key(n) not in by_key]
    return _Candidate("data.gouv.fr", mapping, missing, {_header_key(n) for n in DATAGOUV_HEADERS})


def _detect_format(header: list[str], report: ImportReport) -> tuple[FileFormat, dict[str, str]] | None:
    """Which of the two formats the header is, with file header -> raw column; lists what is off."""
    by_key = {_header_key(name): name for name in header}
    best = min([_panorama_candidate(by_key), _datagouv_candidate(by_key)], key=lambda c: len(c.missing))
    if best.missing:
        unexpected = [n for n in header if _header_key(n) not in _KNOWN_HEADER_KEYS]
        listed = ", ".join(f"« {m} »" for m in best.missing)
        extra = f" ; colonne(s) inattendue(s) : {', '.join(f'« {u} »' for u in unexpected)}" if unexpected else ""
        report.add(
            "error",
            "format non reconnu (ni tableau du panorama à 10 colonnes, ni export data.gouv.fr à 15 "
            f"colonnes) ; le format le plus proche ({best.file_format}) demande aussi : {listed}{extra}.",
            row=1,
        )
        return None
    for name in header:
        if _header_key(name) not in best.allowed:
            report.add("warning", "colonne inattendue, ignorée.", row=1, column=name)
    report.file_format = best.file_format
    return best.file_format, best.mapping


# ---------------------------------------------------------------- edition, identity, checks


def _resolve_edition(
    data: pl.DataFrame, mapping: dict[str, str], edition: date | None, report: ImportReport
) -> date | None:
    """The chosen edition (month start), else the single "Date de publication" of the file."""
    published: list[date] = []
    column = next((name for name, raw in mapping.items() if raw == "publication_date"), None)
    if column is not None:
        published = data.select(parse_month_start(pl.col(column))).to_series().drop_nulls().unique().sort().to_list()
    if edition is not None:
        chosen = edition.replace(day=1)
        if published and published != [chosen]:
            shown = ", ".join(f"{d:%Y-%m}" for d in published)
            report.add(
                "warning",
                f"date(s) de publication {shown} différente(s) de l'édition choisie {chosen:%Y-%m} ; "
                "l'édition choisie est retenue.",
                column=column,
            )
        return chosen
    if len(published) == 1:
        return published[0]
    if len(published) > 1:
        shown = ", ".join(f"{d:%Y-%m}" for d in published)
        report.add("error", f"plusieurs dates de publication ({shown}) : choisissez l'édition.", column=column)
        return None
    report.add("error", "date d'édition inconnue : choisissez le mois de l'édition importée.")
    return None


def _identify(parsed: pl.LazyFrame, crosswalks: Crosswalks | None) -> pl.LazyFrame:
    """project_id/ministry_id/ministry_label from the crosswalks, provisional ids otherwise; canonical zones.

    A project is known by its exact (ministry, name) pair in any edition (latest wins), else by
    its normalised name when that name maps to a single project id. `_new_project` and
    `_new_ministry` flag the provisional ones.
    """
    empty_projects = pl.DataFrame(
        schema={
            "ministry_name": pl.String,
            "project_name": pl.String,
            "edition": pl.String,
            "project_id": pl.String,
        }
    )
    empty_ministries = pl.DataFrame(
        schema={"ministry_name": pl.String, "ministry_id": pl.String, "ministry_label": pl.String}
    )
    projects = (crosswalks.projects if crosswalks else empty_projects).lazy()
    ministries = (crosswalks.ministries if crosswalks else empty_ministries).lazy()
    by_pair = (
        projects.sort("edition", descending=True)
        .unique(["ministry_name", "project_name"], keep="first")
        .select("ministry_name", "project_name", pl.col("project_id").alias("_id_by_pair"))
    )
    by_slug = (
        projects.select(slugify_expr(pl.col("project_name")).alias("_slug"), "project_id")
        .unique()
        .filter(pl.len().over("_slug") == 1)
        .rename({"project_id": "_id_by_slug"})
    )
    ministry_by_name = ministries.select(
        "ministry_name", pl.col("ministry_id").alias("_mid"), pl.col("ministry_label").alias("_mlabel")
    )
    zones = crosswalks.zones if crosswalks else empty_zone_crosswalk()
    identified = (
        parsed.with_columns(slugify_expr(pl.col("project_name")).alias("_slug"))
        .join(by_pair, on=["ministry_name", "project_name"], how="left", maintain_order="left")
        .join(by_slug, on="_slug", how="left", maintain_order="left")
        .join(ministry_by_name, on="ministry_name", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("_id_by_pair", "_id_by_slug", "_slug").alias("project_id"),
            pl.coalesce("_mid", slugify_expr(pl.col("ministry_name"))).alias("ministry_id"),
            pl.coalesce("_mlabel", "ministry_short", "ministry_name").alias("ministry_label"),
            (pl.col("_id_by_pair").is_null() & pl.col("_id_by_slug").is_null()).alias("_new_project"),
            pl.col("_mid").is_null().alias("_new_ministry"),
        )
    )
    return attach_zones(identified, zones, fold_unknown=True)


Rule = tuple[Literal["error", "warning"], str, pl.Expr, str]


def _raw(name: str) -> pl.Expr:
    return pl.col(f"_raw_{name}")


def _given(name: str) -> pl.Expr:
    return ~is_missing(_raw(name))


def _unreadable(name: str) -> pl.Expr:
    """A cell that holds something, neither a value nor a withheld form (« En cadrage », « NC »…)."""
    return _given(name) & pl.col(name).is_null() & withheld_figure(_raw(name)).is_null()


def _reading_rules() -> list[Rule]:
    """Cells that cannot be read: names missing, words or numbers unreadable."""
    phases = ", ".join(PHASES)
    return [
        ("error", "project_name", ~_given("project_name"), "nom du projet manquant."),
        ("error", "ministry_name", ~_given("ministry_name"), "ministère porteur manquant."),
        (
            "error",
            "interministerial",
            _given("interministerial") & pl.col("interministerial").is_null(),
            "illisible, « Oui » ou « Non » attendu.",
        ),
        (
            "error",
            "start_date",
            _unreadable("start_date"),
            "illisible, mois et année attendus (ex. « octobre 2014 » ou « octobre 14 »).",
        ),
        (
            "error",
            "duration_years",
            _unreadable("duration_years"),
            "illisible, nombre attendu (en années, ex. « 5,25 »), ou « En cadrage », « NC » si non publiée.",
        ),
        (
            "error",
            "cost_meur",
            _unreadable("cost_meur"),
            "illisible, nombre attendu (en M€, ex. « 12,5 »), ou « En cadrage », « NC » si non publié.",
        ),
        (
            "error",
            "phase",
            _given("phase") & pl.col("phase").is_null() & withheld_reason(_raw("phase")).is_null(),
            f"phase inconnue, valeurs attendues : {phases}.",
        ),
    ]


def _bound_rules(edition: date) -> list[Rule]:
    """Values read but outside plausible bounds: errors when absurd, warnings when unusual."""
    latest_start = date(edition.year + MAX_START_YEARS_AHEAD, edition.month, 1)
    cost, duration, start = pl.col("cost_meur"), pl.col("duration_years"), pl.col("start_date")
    return [
        ("error", "cost_meur", cost < 0, "coût négatif, impossible."),
        (
            "error",
            "cost_meur",
            (cost > 0) & (cost < MIN_COST_MEUR),
            "coût inférieur à 0,01 M€ (10 000 €), absurde : le coût est attendu en millions d'euros.",
        ),
        (
            "error",
            "cost_meur",
            cost > MAX_COST_MEUR,
            "coût supérieur à 100 000 M€, absurde : le coût est attendu en millions d'euros.",
        ),
        (
            "error",
            "duration_years",
            (duration < MIN_DURATION_YEARS) | (duration > MAX_DURATION_YEARS),
            "durée absurde : entre 1 mois (0,083 an) et 50 ans attendus, en années.",
        ),
        (
            "error",
            "start_date",
            start >= latest_start,
            f"date de début postérieure de plus de {MAX_START_YEARS_AHEAD} ans à l'édition {edition:%Y-%m}, absurde.",
        ),
        ("error", "start_date", start < EARLIEST_START, f"date de début antérieure à {EARLIEST_START.year}, absurde."),
        (
            "warning",
            "start_date",
            (start > edition) & (start < latest_start),
            f"date de début postérieure à l'édition {edition:%Y-%m} : projet planifié ? À vérifier.",
        ),
        (
            "warning",
            "cost_meur",
            cost.is_between(DOUBTFUL_COST_HIGH_MEUR, MAX_COST_MEUR, closed="right"),
            "coût supérieur à 1 000 M€, inhabituel : vérifiez l'unité (M€).",
        ),
        (
            "warning",
            "cost_meur",
            (cost == 0) | cost.is_between(MIN_COST_MEUR, DOUBTFUL_COST_LOW_MEUR, closed="left"),
            "coût inférieur à 1 M€, inhabituel : vérifiez l'unité (M€).",
        ),
        (
            "warning",
            "duration_years",
            duration.is_between(DOUBTFUL_DURATION_YEARS, MAX_DURATION_YEARS, closed="right"),
            "durée supérieure à 20 ans, inhabituelle : à vérifier.",
        ),
        (
            "warning",
            "duration_years",
            duration.is_between(MIN_DURATION_YEARS, DOUBTFUL_SHORT_DURATION_YEARS, closed="left"),
            "durée inférieure à 1 an, inhabituelle pour un grand projet : vérifiez l'unité (années).",
        ),
    ]


def _completeness_rules() -> list[Rule]:
    """Cells left empty where a value is expected: warnings."""
    withheld = pl.col("withheld_reason").is_not_null()
    return [
        ("warning", "phase", ~_given("phase") & ~withheld, "phase non renseignée."),
        ("warning", "interministerial", ~_given("interministerial"), "caractère interministériel non renseigné."),
        (
            "warning",
            "cost_meur",
            ~_given("cost_meur") & ~withheld & (pl.col("phase") != "Cadrage"),
            "coût non renseigné hors phase de cadrage.",
        ),
    ]


def _check_rows(frame: pl.DataFrame, headers: dict[str, str], edition: date, report: ImportReport) -> None:
    """Row-level errors and warnings, each rule a vectorised filter of the parsed frame."""
    for level, name, mask, text in [*_reading_rules(), *_bound_rules(edition), *_completeness_rules()]:
        hits = frame.filter(mask.fill_null(False)).select("_row", _raw(name).alias("value"))
        for row, value in hits.iter_rows():
            shown = None if value is None or not str(value).strip() else value
            report.add(level, text, row=row, column=headers[name], value=shown)


def _report_new_names(frame: pl.DataFrame, headers: dict[str, str], report: ImportReport) -> None:
    """Warn of every project and ministry that no crosswalk knows, with its provisional id."""
    new_projects = frame.filter("_new_project").select("_row", "_raw_project_name", "project_id")
    for row, value, project_id in new_projects.iter_rows():
        report.add(
            "warning",
            f"nouveau projet, identité à valider (identifiant provisoire « {project_id} »).",
            row=row,
            column=headers["project_name"],
            value=value,
        )
    new_ministries = frame.filter("_new_ministry").unique("ministry_id", keep="first", maintain_order=True)
    for row, value, ministry_id in new_ministries.select("_row", "_raw_ministry_name", "ministry_id").iter_rows():
        report.add(
            "warning",
            f"nouveau ministère, identité à valider (identifiant provisoire « {ministry_id} »).",
            row=row,
            column=headers["ministry_name"],
            value=value,
        )


# What must agree for two rows of one project to be the same published line, counted once.
_FIGURES = ("ministry_id", "interministerial", "start_date", "duration_years", "phase", "cost_meur")


def _resolve_duplicates(frame: pl.DataFrame, headers: dict[str, str], report: ImportReport) -> pl.DataFrame:
    """One row per project: a project listed twice («PAYSAGE» / «Paysage ») is never counted twice.

    Rows are the same project when they get the same id (same name up to case, accents, blanks and punctuation, or
    mapped together by the crosswalks). A repeat whose figures all agree with the first row is the same line
    typed twice: it is dropped with a warning. A repeat with other figures is an error, since nothing says which
    figures are right.
    """
    ordered = frame.sort("_row")
    first = pl.col("_row").first().over("project_id")
    repeats = ordered.with_columns(
        _first_row=first,
        _same=pl.all_horizontal(pl.col(c).eq_missing(pl.col(c).first().over("project_id")) for c in _FIGURES),
    ).filter(pl.col("project_id").is_not_null() & (pl.col("_row") != pl.col("_first_row")))
    for row, first_row, same, value, project_id in repeats.select(
        "_row", "_first_row", "_same", "_raw_project_name", "project_id"
    ).iter_rows():
        where = (
            f"même projet que la ligne {first_row} (identifiant « {project_id} », nom identique à la casse, "
            "aux accents ou aux espaces près)"
        )
        level, outcome = (
            ("warning", "mêmes chiffres : ligne ignorée, projet compté une fois.")
            if same
            else ("error", "avec d'autres chiffres : lequel retenir ? Corrigez le fichier.")
        )
        report.add(level, f"{where}, {outcome}", row=row, column=headers["project_name"], value=value)
    return ordered.filter(pl.col("project_id").is_null() | (pl.col("_row") == first))


# ---------------------------------------------------------------- public API


def import_edition(
    content: bytes,
    file_name: str,
    edition: date | None = None,
    crosswalks: Crosswalks | None = None,
    limits: IntakeLimits = PANORAMA_LIMITS,
) -> ImportResult:
    """Read, check and type one edition from an uploaded CSV/XLSX file; never raises on bad input.

    `edition` is the month chosen by the user (any day; the month start is kept); without it the
    data.gouv.fr "Date de publication" column decides. Known names get their crosswalk identity,
    unknown ones a provisional id from their normalised name and a warning.
    """
    report = ImportReport(file=file_name)
    cells = _read_cells(content, file_name, report, limits)
    split = None if cells is None else _split_header(cells, report)
    detected = None if split is None else _detect_format(split[0], report)
    if split is None or detected is None:
        return ImportResult(None, report)
    data = split[1]
    file_format, mapping = detected
    report.rows = data.height
    if data.height == 0:
        report.add("error", "aucune ligne de données sous l'en-tête.")
        return ImportResult(None, report)
    chosen = _resolve_edition(data, mapping, edition, report)
    if chosen is None:
        return ImportResult(None, report)
    report.edition = chosen

    renamed = data.select("_row", *[pl.col(name).alias(raw) for name, raw in mapping.items()])
    if file_format == "data.gouv.fr":
        # The full name is what the panorama publishes; the short one is a fallback and the label.
        renamed = renamed.with_columns(pl.coalesce("ministry_name", "ministry_short").alias("ministry_name"))
    else:
        renamed = renamed.with_columns(pl.lit(None, pl.String).alias("ministry_short"))
    cost_header = next(name for name, raw in mapping.items() if raw == "cost_meur")
    lazy = renamed.lazy().with_columns(
        pl.lit(chosen).alias("edition"),
        pl.lit(cost_header if cost_header in COST_HEADERS else COST_HEADERS[0]).alias("cost_definition"),
        *[pl.col(name).alias(f"_raw_{name}") for name in RAW_COLUMNS],
    )
    link = "funding_link" if "funding_link" in renamed.columns else None
    frame = _identify(parse_published_columns(lazy, funding_link=link), crosswalks).collect()
    headers = {raw: name for name, raw in mapping.items()}
    if file_format == "data.gouv.fr":
        headers["ministry_name"] = "Ministère nom complet"
    _check_rows(frame, headers, chosen, report)
    frame = _resolve_duplicates(frame, headers, report)
    _report_new_names(frame, headers, report)
    if report.errors:
        return ImportResult(None, report)
    return ImportResult(finalize(frame.lazy()).collect(), report)


def single_edition(imported: pl.DataFrame) -> date:
    """The one edition of an imported frame; raises EditionMergeError unless it is one edition in the schema."""
    if imported.schema != pl.Schema(PROJECT_EDITION_SCHEMA):
        raise EditionMergeError("Les données importées n'ont pas le schéma attendu du panorama.")
    editions = imported.get_column("edition").unique().to_list()
    if len(editions) != 1:
        raise EditionMergeError(f"Une seule édition attendue dans les données importées, {len(editions)} trouvées.")
    return editions[0]


def merge_edition(loaded: pl.DataFrame, imported: pl.DataFrame, *, replace: bool = False) -> pl.DataFrame:
    """A new frame with the imported edition added; `loaded` is left as it is.

    Raises EditionMergeError when the edition is already loaded and `replace` is False.
    """
    edition = single_edition(imported)
    existing = loaded.filter(pl.col("edition") == edition).height
    if existing and not replace:
        raise EditionMergeError(
            f"L'édition {edition:%Y-%m} est déjà chargée ({existing} projets) : "
            "demandez explicitement son remplacement pour l'écraser."
        )
    kept = loaded.filter(pl.col("edition") != edition)
    return pl.concat([kept, imported]).sort("edition", "ministry_name", "project_name")
