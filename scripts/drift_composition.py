"""Print how the change of the average budget drift splits into composition and like-for-like.

For 2016-11 -> 2021-11 and for each pair of consecutive shipped editions, computed by
`analytics.panorama.composition` on data/panorama (drift since first publication, not the official method):

    uv run python scripts/drift_composition.py                  # mean budget drift
    uv run python scripts/drift_composition.py --cost-weighted  # cost-weighted mean

Figures are percentage points; total = entrants + leavers (composition) + like-for-like.
"""

from __future__ import annotations

import argparse
import sys
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.formatting import format_number, format_pct
from analytics.panorama.composition import STATISTIC_LABELS_FR, DriftChangeSplit, split_drift_change
from analytics.panorama.drift import with_drift
from analytics.panorama.loading import load_headlines, load_panorama

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "panorama"
HEADER = (
    "| éditions | moyenne départ → arrivée | variation | dont composition | dont entrants | dont sortants | "
    "dont périmètre constant | projets constants / entrants / sortants | moyenne officielle (DINUM) |"
)


def _points(value: float | None) -> str:
    """Signed percentage points: `+1,4`, `−0,4`."""
    if value is None:
        return "–"
    text = format_number(value * 100, 1)
    if text == "0,0":
        return text
    return text.replace("-", "−") if text.startswith("-") else f"+{text}"


def _row(split: DriftChangeSplit, label: str, official: str) -> str:
    parts = (split.total_change, split.composition, split.entrants_effect, split.leavers_effect, split.like_for_like)
    counts = f"{split.continuing_count} / {split.entrants_count} / {split.leavers_count}"
    averages = f"{format_pct(split.from_value)} → {format_pct(split.to_value)}"
    return f"| {label} | {averages} | {' | '.join(_points(part) for part in parts)} | {counts} | {official} |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cost-weighted", action="store_true", help="cost-weighted mean instead of the mean")
    args = parser.parse_args(argv)
    statistic = "cost_weighted" if args.cost_weighted else "mean"
    projects = with_drift(load_panorama(DATA_DIR).lazy()).collect()
    headlines = load_headlines(DATA_DIR)
    official = dict(headlines.select("edition", "avg_budget_drift").iter_rows())
    editions = projects["edition"].unique().sort().to_list()
    print(HEADER)
    print("|---|---|---|---|---|---|---|---|---|")
    for earlier, later in [(editions[0], editions[-1]), *pairwise(editions)]:
        split = split_drift_change(projects, earlier, later, "budget_drift", statistic)
        label = f"{earlier:%Y-%m} → {later:%Y-%m}"
        print(_row(split, label, f"{format_pct(official.get(earlier))} → {format_pct(official.get(later))}"))
    print(f"\nVariations en points ; {STATISTIC_LABELS_FR[statistic].lower()} de la dérive budgétaire depuis la 1re")
    print("publication (calculée), moyennes officielles données pour comparaison, non décomposables.")


if __name__ == "__main__":
    main()
