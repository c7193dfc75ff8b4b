"""Import a panorama edition into the persistent store, as the data page does (for maintainers).

    uv run python -m scripts.import_edition FILE [--edition AAAA-MM] [--replace | --keep-separate] [--accept-names]
    uv run python -m scripts.import_edition --list
    uv run python -m scripts.import_edition --remove AAAA-MM

The store is `PANORAMA_STORE_DIR` (default data/store/); the shipped files are never modified. A file that
repeats an edition already loaded (close date, nearly the same projects) is kept only with --replace (in place
of that edition) or --keep-separate. New names are listed with a proposed identity; --accept-names keeps the
proposals in the store's crosswalk overlay.

Exit codes: 0 done; 1 file refused or store error; 2 wrong arguments; 3 overlap to answer (--replace or
--keep-separate).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from analytics.formatting import format_edition_label
from analytics.panorama.edition_import import (
    ImportPlan,
    keep_import,
    load_crosswalks_with_store,
    load_projects,
    plan_import,
)
from analytics.panorama.loading import PanoramaDataError
from analytics.panorama.store import EditionStore, StoreError

PANORAMA_DIR = Path(__file__).resolve().parents[1] / "data" / "panorama"
MAX_LISTED = 20
EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_OVERLAP = 0, 1, 2, 3


def _month(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » : mois attendu au format AAAA-MM (ex. 2022-07).") from None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.import_edition",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", type=Path, help="fichier CSV ou XLSX de l'édition")
    parser.add_argument("--edition", type=_month, help="mois de l'édition (sinon la « Date de publication »)")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--replace", action="store_true", help="remplacer l'édition que le fichier recoupe")
    choice.add_argument("--keep-separate", action="store_true", help="garder le fichier comme une autre édition")
    parser.add_argument("--accept-names", action="store_true", help="accepter les identités proposées")
    parser.add_argument("--list", action="store_true", help="lister les éditions conservées")
    parser.add_argument("--remove", type=_month, metavar="AAAA-MM", help="retirer une édition conservée")
    args = parser.parse_args(argv)
    if sum([args.file is not None, args.list, args.remove is not None]) != 1:
        parser.error("indiquez un fichier à importer, ou --list, ou --remove AAAA-MM.")
    return args


def _print_list(store: EditionStore) -> int:
    editions = store.editions()
    if not editions:
        print(f"Aucune édition conservée dans « {store.root} ».")
    for entry in editions:
        read_as = f", lue comme {entry.read_as:%Y-%m}" if entry.read_as else ""
        print(
            f"{format_edition_label(entry.edition)} : {entry.rows} projets, fichier « {entry.file_name} » "
            f"({entry.file_format or 'format inconnu'}{read_as}), importé le {entry.imported_at:%d/%m/%Y à %H:%M}, "
            f"SHA-256 {entry.sha256[:12]}…"
        )
    return EXIT_OK


def _print_report(plan: ImportPlan) -> None:
    report = plan.result.report
    print(plan.summary())
    for issue in report.errors[:MAX_LISTED]:
        print(f"  erreur : {issue.message}", file=sys.stderr)
    for issue in report.warnings[:MAX_LISTED]:
        print(f"  avertissement : {issue.message}")
    hidden = max(len(report.errors) - MAX_LISTED, 0) + max(len(report.warnings) - MAX_LISTED, 0)
    if hidden:
        print(f"  … et {hidden} autre(s) message(s).")


def _print_names(plan: ImportPlan, accepted: bool) -> None:
    if plan.names is None or plan.names.empty:
        return
    projects, ministries = plan.names.projects, plan.names.ministries
    print(f"Identités à revoir : {projects.height} projet(s), {ministries.height} ministère(s).")
    for name, project_id, note in projects.select("project_name", "project_id", "match_note").head(MAX_LISTED).rows():
        print(f"  projet « {name} » → « {project_id} » ({note})")
    for name, ministry_id in ministries.select("ministry_name", "ministry_id").head(MAX_LISTED).rows():
        print(f"  ministère « {name} » → « {ministry_id} »")
    if accepted:
        print("Identités proposées acceptées dans les correspondances du magasin.")
    else:
        print("Relancez avec --accept-names pour accepter ces identités (sinon, identifiants provisoires).")


def _import(args: argparse.Namespace, store: EditionStore) -> int:
    try:
        content = args.file.read_bytes()
    except OSError as error:
        print(f"Fichier « {args.file} » illisible : {error.strerror}.", file=sys.stderr)
        return EXIT_REFUSED
    loaded = load_projects(PANORAMA_DIR, store)
    crosswalks = load_crosswalks_with_store(PANORAMA_DIR, store)
    plan = plan_import(content, args.file.name, loaded=loaded, crosswalks=crosswalks, edition=args.edition)
    _print_report(plan)
    if plan.status == "refused":
        return EXIT_REFUSED
    if plan.status == "overlap" and not (args.replace or args.keep_separate):
        print(plan.overlaps[0].message, file=sys.stderr)
        print("Relancez avec --replace pour la remplacer, ou --keep-separate pour garder les deux.", file=sys.stderr)
        return EXIT_OVERLAP
    replace = plan.proposed_replacement if args.replace else None
    kept = keep_import(
        plan, content, store, replace=replace, keep_separate=args.keep_separate, accept_names=args.accept_names
    )
    replaced = (
        f" : le fichier, lu comme {plan.edition:%Y-%m}, remplace l'édition {replace:%Y-%m} chargée" if replace else ""
    )
    print(f"Édition {format_edition_label(kept.edition)} conservée dans « {store.root} »{replaced}.")
    _print_names(plan, args.accept_names)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    store = EditionStore.from_settings()
    try:
        if args.list:
            return _print_list(store)
        if args.remove is not None:
            entry = store.remove(args.remove)
            print(f"Édition {entry.edition:%Y-%m} (fichier « {entry.file_name} ») retirée du magasin.")
            return EXIT_OK
        return _import(args, store)
    except (StoreError, PanoramaDataError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
