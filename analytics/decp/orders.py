"""The orders ledger (registre des bons de commande): the file a framework manager keeps, read and validated.

Bons de commande are not published in DECP, so the spend of a lot executed by bons de commande (lot 1 of 25_BAM_044,
the single lot of 21_BAM_048) is only known from the ledger its manager keeps: one row per order with its date,
beneficiary, holder, lot, reference, amount before tax and status. Holders must report these very fields (CCAP
25_BAM_044, article 15.7). A file with any defect is refused as a whole, with one located French message per
defect (file, row, column, value, why), so that nothing loaded changes; doubtful but possible rows are kept and
reported as warnings.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

import polars as pl
import xlsxwriter

from analytics.decp.frameworks import Framework, Lot
from analytics.decp.linking import identifier_key, per_lot, with_beneficiary, with_holder_group
from analytics.decp.normalise import ABSURD_AMOUNT_MARKER, AMOUNT_CEILING_EUR, parse_amount, parse_date
from analytics.decp.readers import Table, admit, detect_kind, read_table
from analytics.decp.report import FileReport
from analytics.formatting import escape_markdown
from analytics.text import match_key_expr

LEDGER_FORMAT = "registre-bons-de-commande"
LEDGER_UPLOAD_TYPES = ["csv", "xlsx", "xlsm", "ods"]


class LedgerColumn(NamedTuple):
    field: str
    header: str  # the template's French header
    required: bool
    description: str  # French, for the template's README
    example: str
    aliases: tuple[str, ...] = ()  # other headers accepted (compared without case, accents or punctuation)


LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn(
        "order_date",
        "Date du bon de commande",
        True,
        "Date d'émission (notification) du bon de commande : JJ/MM/AAAA ou AAAA-MM-JJ. Elle doit tomber dans la "
        "durée du lot.",
        "15/04/2026",
        ("date", "date de commande", "date d'emission", "date de notification", "date du bon"),
    ),
    LedgerColumn(
        "beneficiary",
        "Bénéficiaire",
        True,
        "Administration qui émet le bon de commande (ministère, direction, établissement public).",
        "Direction interministérielle du numérique",
        ("beneficiaire", "administration", "acheteur", "commanditaire"),
    ),
    LedgerColumn(
        "holder",
        "Titulaire",
        True,
        "Titulaire qui reçoit la commande : nom du groupement ou d'un de ses membres, tel que publié.",
        "OCTO Technology / Crème de la Crème / Frontier",
        ("titulaire", "attributaire", "prestataire", "fournisseur"),
    ),
    LedgerColumn(
        "lot_id",
        "Lot",
        True,
        "Identifiant du lot : 25_BAM_044_AC01 (lot 1 de l'accord-cadre 2026) ou 21_BAM_048 (accord-cadre 2021). "
        "Casse, espaces et séparateurs ne comptent pas.",
        "25_BAM_044_AC01",
        ("lot", "identifiant du lot", "numero du lot", "accord cadre"),
    ),
    LedgerColumn(
        "order_ref",
        "Référence du bon de commande",
        True,
        "Numéro du bon de commande (par exemple son numéro Chorus), unique pour un même bénéficiaire.",
        "BC-2026-0001",
        ("reference", "numero du bon de commande", "n bon de commande", "numero de commande", "bon de commande"),
    ),
    LedgerColumn(
        "amount_eur",
        "Montant HT (€)",
        True,
        "Montant hors taxes en euros, strictement positif : « 3 000 000 », « 1234,50 » ou « 1234.50 ».",
        "245 000,00",
        ("montant", "montant ht", "montant hors taxes", "montant ht eur", "montant ht en euros"),
    ),
    LedgerColumn(
        "status",
        "Statut",
        True,
        "émis, en cours, terminé ou annulé. Un bon annulé reste dans le registre mais n'est pas compté.",
        "émis",
        ("etat", "statut du bon de commande"),
    ),
    LedgerColumn(
        "object",
        "Objet",
        False,
        "Produit numérique ou prestation commandée (facultatif).",
        "Équipe produit d'un service numérique",
        ("produit", "objet de la commande", "libelle", "designation"),
    ),
)
_BY_FIELD = {column.field: column for column in LEDGER_COLUMNS}

# Status vocabulary: canonical value -> whether the order is counted; then accepted spellings (normalised).
STATUSES: dict[str, bool] = {"émis": True, "en cours": True, "terminé": True, "annulé": False}
_STATUS_SPELLINGS: dict[str, str] = {
    "emis": "émis",
    "notifie": "émis",
    "en cours": "en cours",
    "en cours d execution": "en cours",
    "termine": "terminé",
    "solde": "terminé",
    "clos": "terminé",
    "annule": "annulé",
}

ORDER_SCHEMA: dict[str, pl.DataType] = {
    "row_ref": pl.String(),  # "ligne 5": where the order is in the file
    "order_ref": pl.String(),
    "order_date": pl.Date(),
    "beneficiary": pl.String(),  # as written in the file
    "beneficiary_registry": pl.String(),  # the registry beneficiary it designates, or null
    "holder": pl.String(),  # as written in the file
    "awardee_group": pl.String(),  # the registry holder of the lot it belongs to, or null
    "framework_id": pl.String(),
    "lot_id": pl.String(),  # the registry lot id
    "amount_eur": pl.Float64(),
    "status": pl.String(),  # canonical status
    "object": pl.String(),
    "counted": pl.Boolean(),  # enters the lot's spend
    "not_counted_reason": pl.String(),
}

NOT_COUNTED_CANCELLED = "bon de commande annulé"
NOT_COUNTED_SUBSEQUENT = (
    "lot exécuté par marchés subséquents : sa dépense est celle des marchés subséquents publiés dans les DECP, "
    "ce bon de commande passé au titre d'un marché subséquent n'est pas ajouté (il serait compté deux fois)"
)
LEDGER_RULE_FR = (
    "Registre des bons de commande : une ligne par bon de commande, montant hors taxes. Sont comptés les bons émis, "
    "en cours ou terminés des lots exécutés par bons de commande ; un bon annulé n'est pas compté. Une ligne d'un "
    "lot exécuté par marchés subséquents (lot 2) n'est pas comptée : la dépense de ce lot vient des DECP."
)


class OrdersReport(FileReport):
    """Outcome of reading an orders ledger."""

    orders_kept: int = 0
    orders_counted: int = 0
    counted_eur: float = 0.0


def ledger_readme_fr() -> str:
    """The template's description of columns, as Markdown (also written into the XLSX template)."""
    lines = [
        "# Registre des bons de commande — modèle",
        "",
        "Une ligne par bon de commande. Les bons de commande ne sont pas publiés dans les DECP : ce registre est la "
        "seule source de la dépense des lots exécutés par bons de commande (lot 1 de l'accord-cadre 2026, "
        "accord-cadre 2021). Formats acceptés : CSV (UTF-8 ou Windows-1252, séparateur « ; » ou « , ») ou XLSX "
        "(première feuille). Un fichier comportant une erreur est refusé en entier : rien de ce qui est chargé ne "
        "change.",
        "",
        "| Colonne | Obligatoire | Contenu | Exemple |",
        "|---|---|---|---|",
    ]
    for column in LEDGER_COLUMNS:
        required = "oui" if column.required else "non"
        lines.append(f"| {column.header} | {required} | {column.description} | {column.example} |")
    lines += ["", LEDGER_RULE_FR]
    return "\n".join(lines)


def ledger_columns_fr() -> str:
    """The template's columns as a Markdown list, one item per column, for the page.

    A four-column table of long descriptions runs past a phone's screen; a list wraps at any width.
    """
    return "\n".join(
        f"- **{escape_markdown(column.header)}** ({'obligatoire' if column.required else 'facultative'}) : "
        f"{escape_markdown(column.description)} Exemple : « {escape_markdown(column.example)} »."
        for column in LEDGER_COLUMNS
    )


def ledger_template_csv() -> bytes:
    """Header-only CSV template: UTF-8 with BOM and `;`, as French spreadsheet software expects."""
    return ("\ufeff" + ";".join(column.header for column in LEDGER_COLUMNS) + "\r\n").encode("utf-8")


def ledger_template_xlsx() -> bytes:
    """XLSX template: an empty « Bons de commande » sheet (the one read), « Colonnes » and « Exemple » sheets."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        bold = workbook.add_format({"bold": True})
        orders = workbook.add_worksheet("Bons de commande")
        example = workbook.add_worksheet("Exemple")
        for column_index, column in enumerate(LEDGER_COLUMNS):
            orders.write(0, column_index, column.header, bold)
            orders.set_column(column_index, column_index, 28)
            example.write(0, column_index, column.header, bold)
            example.write(1, column_index, column.example)
        described = workbook.add_worksheet("Colonnes")
        for column_index, header in enumerate(("Colonne", "Obligatoire", "Contenu", "Exemple")):
            described.write(0, column_index, header, bold)
        for row, column in enumerate(LEDGER_COLUMNS, start=1):
            cells = (column.header, "oui" if column.required else "non", column.description, column.example)
            for column_index, text in enumerate(cells):
                described.write(row, column_index, text)
        described.write(len(LEDGER_COLUMNS) + 2, 0, LEDGER_RULE_FR)
        described.set_column(0, 0, 30)
        described.set_column(2, 2, 90)
    return buffer.getvalue()


def _intake(content: bytes, report: OrdersReport) -> Table | None:
    """The one place where bytes become a text table (guards, decoding, parsing): swappable for a shared intake."""
    if not admit(content, report):
        return None
    kind = detect_kind(content, report)
    if kind is None:
        return None
    if kind not in ("text", "zip", "xls"):
        report.errors.append(
            f"{report.file_name} : format non pris en charge pour un registre des bons de commande ; "
            "CSV ou XLSX attendu (téléchargez le modèle)."
        )
        return None
    return read_table(content, kind, report)


def _normalised(values: list[str]) -> list[str]:
    return pl.Series(values, dtype=pl.String).to_frame("v").select(match_key_expr(pl.col("v"))).to_series().to_list()


def _header_map(columns: list[str], report: OrdersReport) -> dict[str, str] | None:
    """Field -> the file's header, from the template's headers or their aliases; None when a column is missing."""
    spelled = {key: column.field for column in LEDGER_COLUMNS for key in _normalised([column.header, *column.aliases])}
    mapping: dict[str, str] = {}
    unknown = []
    for header, key in zip(columns, _normalised(columns), strict=True):
        field = spelled.get(key)
        if field is None:
            unknown.append(header)
        elif field in mapping:
            report.errors.append(
                f"{report.file_name} : ligne 1 (en-tête) : colonnes « {mapping[field]} » et « {header} » désignent "
                f"toutes deux « {_BY_FIELD[field].header} »."
            )
        else:
            mapping[field] = header
    missing = [column.header for column in LEDGER_COLUMNS if column.required and column.field not in mapping]
    if missing:
        listed = ", ".join(f"« {name} »" for name in missing)
        report.errors.append(
            f"{report.file_name} : ligne 1 (en-tête) : colonne(s) obligatoire(s) absente(s) : {listed}. "
            f"Colonnes trouvées : {', '.join(columns) or 'aucune'} (voir le modèle)."
        )
    if unknown:
        report.warnings.append(f"{report.file_name} : colonne(s) inconnue(s), ignorée(s) : {', '.join(unknown)}.")
    return None if report.errors else mapping


def _lots_frame(frameworks: list[Framework]) -> pl.DataFrame:
    """One row per registry lot with what the checks need, keyed like the ledger's lot column."""
    rows = [
        {
            "_lot_key": _key(lot.id),
            "lot_id": lot.id,
            "framework_id": framework.id,
            "_start": lot.term.start,
            "_end": lot.term.end,
            "_maximum": lot.maximum_eur.value,
            "_by_orders": lot.by_orders,
        }
        for framework in frameworks
        for lot in framework.lots
    ]
    schema = {
        "_lot_key": pl.String(),
        "lot_id": pl.String(),
        "framework_id": pl.String(),
        "_start": pl.Date(),
        "_end": pl.Date(),
        "_maximum": pl.Float64(),
        "_by_orders": pl.Boolean(),
    }
    return pl.DataFrame(rows, schema=schema)


def _key(value: str) -> str:
    return pl.select(identifier_key(pl.lit(value))).item()


def _typed(table: Table, mapping: dict[str, str], frameworks: list[Framework]) -> pl.DataFrame:
    """Text cells under our field names (`raw_*`), parsed values, and the registry lot each row names."""
    statuses = pl.DataFrame(
        {"_status_key": list(_STATUS_SPELLINGS), "status": list(_STATUS_SPELLINGS.values())},
        schema={"_status_key": pl.String(), "status": pl.String()},
    )
    raw = table.frame.select(
        (pl.col(mapping[c.field]) if c.field in mapping else pl.lit(None, pl.String))
        .str.strip_chars()
        .replace("", None)
        .alias(f"raw_{c.field}")
        for c in LEDGER_COLUMNS
    )
    return (
        raw.with_row_index("_index")
        .with_columns(
            row_ref=pl.format(f"{table.row_label} {{}}", pl.col("_index") + table.first_row_number),
            order_date=parse_date(pl.col("raw_order_date")),
            amount_eur=parse_amount(pl.col("raw_amount_eur")),
            _lot_key=identifier_key(pl.col("raw_lot_id")),
            _status_key=match_key_expr(pl.col("raw_status")),
        )
        .join(_lots_frame(frameworks), on="_lot_key", how="left", maintain_order="left")
        .join(statuses, on="_status_key", how="left", maintain_order="left")
    )


class _Check(NamedTuple):
    field: str  # whose cell is quoted in the message
    failed: pl.Expr
    why: pl.Expr  # French, without final full stop


def _row_checks(known_lots: str) -> list[_Check]:
    """Defects that refuse the file, each on one cell."""
    amount = pl.col("amount_eur")
    required = [
        _Check(c.field, pl.col(f"raw_{c.field}").is_null(), pl.lit("valeur vide, la colonne est obligatoire"))
        for c in LEDGER_COLUMNS
        if c.required
    ]
    return [
        *required,
        _Check(
            "order_date",
            pl.col("raw_order_date").is_not_null() & pl.col("order_date").is_null(),
            pl.lit("n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ attendu)"),
        ),
        _Check(
            "amount_eur",
            pl.col("raw_amount_eur").is_not_null() & amount.is_null(),
            pl.lit("n'est pas un montant en euros (par exemple 3 000 000 ou 1234,50)"),
        ),
        _Check(
            "amount_eur",
            amount <= 0,
            pl.lit("montant nul ou négatif ; un bon de commande annulé se signale par le statut « annulé »"),
        ),
        _Check(
            "amount_eur",
            (amount >= AMOUNT_CEILING_EUR) | (amount == ABSURD_AMOUNT_MARKER),
            pl.lit("montant invraisemblable (1 Md€ ou plus, ou valeur marqueur 12 311 111 111)"),
        ),
        _Check(
            "amount_eur",
            (amount > pl.col("_maximum")) & (amount < AMOUNT_CEILING_EUR),
            pl.format("supérieur au montant maximum du lot {} ({} €)", "lot_id", pl.col("_maximum").cast(pl.Int64)),
        ),
        _Check(
            "lot_id",
            pl.col("raw_lot_id").is_not_null() & pl.col("lot_id").is_null(),
            pl.lit(f"lot inconnu du registre (lots connus : {known_lots})"),
        ),
        _Check(
            "order_date",
            ~pl.col("order_date").is_between(pl.col("_start"), pl.col("_end")),
            pl.format(
                "en dehors de la durée du lot {} (du {} au {})",
                "lot_id",
                pl.col("_start").dt.strftime("%d/%m/%Y"),
                pl.col("_end").dt.strftime("%d/%m/%Y"),
            ),
        ),
        _Check(
            "status",
            pl.col("raw_status").is_not_null() & pl.col("status").is_null(),
            pl.lit(f"statut inconnu (valeurs possibles : {', '.join(STATUSES)})"),
        ),
    ]


def _cell_messages(rows: pl.DataFrame, checks: list[_Check], report: OrdersReport, mapping: dict[str, str]):
    """One located message per failed check and row, in row order."""
    messages = [
        rows.filter(check.failed.fill_null(False)).select(
            "_index",
            pl.format(
                f"{report.file_name}, {{}}, colonne « {mapping.get(check.field, _BY_FIELD[check.field].header)} », "
                "valeur « {} » : {}.",
                "row_ref",
                pl.col(f"raw_{check.field}").fill_null(""),
                check.why,
            ).alias("message"),
        )
        for check in checks
    ]
    return pl.concat(messages).sort("_index", maintain_order=True)


def _duplicates(rows: pl.DataFrame, report: OrdersReport, mapping: dict[str, str]) -> pl.DataFrame:
    """A reference given twice for the same beneficiary: the same order entered twice would be counted twice."""
    header = mapping["order_ref"]
    return (
        rows.filter(pl.col("raw_order_ref").is_not_null())
        .group_by(pl.col("raw_order_ref").str.to_uppercase().alias("_ref"), match_key_expr(pl.col("raw_beneficiary")))
        .agg(pl.col("_index").min(), pl.col("row_ref"), pl.col("raw_order_ref").first())
        .filter(pl.col("row_ref").list.len() > 1)
        .select(
            "_index",
            pl.format(
                f"{report.file_name}, {{}}, colonne « {header} », valeur « {{}} » : référence en double pour le même "
                "bénéficiaire ; chaque bon de commande ne figure qu'une fois (un bon rectificatif a sa propre "
                "référence).",
                pl.col("row_ref").list.join(", "),
                "raw_order_ref",
            ).alias("message"),
        )
    )


def _registry_names(rows: pl.DataFrame, lots: list[Lot]) -> pl.DataFrame:
    """The registry holder and beneficiary each row names, matched within the row's own lot."""

    def enrich(part: pl.DataFrame, lot: Lot) -> pl.DataFrame:
        part = with_holder_group(part, lot.named_holders, id_column=None, name_column="raw_holder")
        part = with_beneficiary(part, lot.named_beneficiaries, id_column=None, name_column="raw_beneficiary").rename(
            {"beneficiary": "beneficiary_registry"}
        )
        holders_until = {h.name: h.until for h in lot.named_holders if h.until}
        return part.with_columns(
            _holders_named=pl.lit(bool(lot.named_holders)),
            _beneficiaries_complete=pl.lit(bool(lot.beneficiaries.value and lot.beneficiaries.value.complete)),
            _holder_until=pl.col("awardee_group").replace_strict(holders_until, default=None, return_dtype=pl.Date),
        )

    return per_lot(rows, lots, enrich)


def _warning_messages(rows: pl.DataFrame, report: OrdersReport, mapping: dict[str, str]) -> pl.DataFrame:
    """Doubtful but possible rows: kept, reported."""

    def located(field: str, why: pl.Expr) -> pl.Expr:
        header = mapping.get(field, _BY_FIELD[field].header)
        return pl.format(
            f"{report.file_name}, {{}}, colonne « {header} », valeur « {{}} » : {{}}.",
            "row_ref",
            pl.col(f"raw_{field}").fill_null(""),
            why,
        ).alias("message")

    checks = [
        (~pl.col("_by_orders"), "lot_id", pl.lit(NOT_COUNTED_SUBSEQUENT)),
        (
            pl.col("_holders_named") & pl.col("awardee_group").is_null(),
            "holder",
            pl.format("titulaire absent des titulaires publiés du lot {} ; ligne comptée", "lot_id"),
        ),
        (
            pl.col("order_date") > pl.col("_holder_until"),
            "holder",
            pl.format(
                "{} n'est plus titulaire depuis le {} ; ligne comptée, à vérifier",
                "awardee_group",
                pl.col("_holder_until").dt.offset_by("1d").dt.strftime("%d/%m/%Y"),
            ),
        ),
        (
            pl.col("_beneficiaries_complete") & pl.col("beneficiary_registry").is_null(),
            "beneficiary",
            pl.format("absent de la liste exhaustive des bénéficiaires du lot {} ; ligne comptée", "lot_id"),
        ),
    ]
    parts = [
        rows.filter(failed.fill_null(False)).select("_index", located(field, why)) for failed, field, why in checks
    ]
    return pl.concat(parts).sort("_index", maintain_order=True)


def read_orders(
    content: bytes | Path, file_name: str, frameworks: list[Framework]
) -> tuple[pl.DataFrame | None, OrdersReport]:
    """Orders (ORDER_SCHEMA) of a ledger file and a French report; None when the file has any defect.

    Lots, terms and maximum amounts are those of `frameworks` (the registry).
    """
    report = OrdersReport(file_name=file_name, source_format=LEDGER_FORMAT)
    table = _intake(content.read_bytes() if isinstance(content, Path) else content, report)
    if table is None:
        return None, report
    mapping = _header_map(table.frame.columns, report)
    if mapping is None:
        return None, report
    report.columns_used = {_BY_FIELD[field].header: header for field, header in mapping.items()}
    report.rows_read = table.frame.height
    if table.frame.height == 0:
        report.errors.append(f"{file_name} : fichier vide (en-tête seul, aucun bon de commande).")
        return None, report
    lots = [lot for framework in frameworks for lot in framework.lots]
    rows = _typed(table, mapping, frameworks)
    known = ", ".join(lot.id for lot in lots)
    report.error_rows(
        pl.concat([_cell_messages(rows, _row_checks(known), report, mapping), _duplicates(rows, report, mapping)]).sort(
            "_index", maintain_order=True
        )
    )
    if report.errors:
        return None, report
    rows = _registry_names(rows, lots)
    report.warn_rows(_warning_messages(rows, report, mapping))
    orders = (
        rows.with_columns(
            counted=pl.col("_by_orders") & pl.col("status").replace_strict(STATUSES, return_dtype=pl.Boolean),
            not_counted_reason=pl.when(~pl.col("_by_orders"))
            .then(pl.lit(NOT_COUNTED_SUBSEQUENT))
            .when(~pl.col("status").replace_strict(STATUSES, return_dtype=pl.Boolean))
            .then(pl.lit(NOT_COUNTED_CANCELLED)),
        )
        .select(
            "row_ref",
            pl.col("raw_order_ref").alias("order_ref"),
            "order_date",
            pl.col("raw_beneficiary").alias("beneficiary"),
            "beneficiary_registry",
            pl.col("raw_holder").alias("holder"),
            "awardee_group",
            "framework_id",
            "lot_id",
            "amount_eur",
            "status",
            pl.col("raw_object").alias("object"),
            "counted",
            "not_counted_reason",
        )
        .cast(ORDER_SCHEMA)
    )
    counted = orders.filter(pl.col("counted"))
    report.orders_kept, report.orders_counted = orders.height, counted.height
    report.counted_eur = float(counted.get_column("amount_eur").sum())
    return orders, report


def empty_orders() -> pl.DataFrame:
    return pl.DataFrame(schema=ORDER_SCHEMA)
