"""Straightforward pandas versions of the page computations, for the benchmark only (never used by the app).

Written as a competent analyst would with pandas: vectorised groupby/transform/merge, no row loops over
the data. Rules mirror the analytics (drift since first publication, withheld costs never zero, current
state of each DECP contract, amounts flagged by the same thresholds) on data shaped like ours.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

from analytics.decp.normalise import ABSURD_AMOUNT_MARKER, AMOUNT_CEILING_EUR
from analytics.panorama.parsing import TRUE_WORDS
from benchmarks.polars_impl import (
    ALERT_LEVELS,
    AS_OF,
    DRIFT_CAP,
    DRIFT_THRESHOLD,
    SELECTION,
    THRESHOLD_MEUR,
    BenchFramework,
)

TOLERANCE = 1e-9
Outputs = dict[str, pd.DataFrame]


def _fold(text: pd.Series) -> pd.Series:
    return text.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True).str.lower()


def _latest_two(projects: pd.DataFrame) -> tuple[object, object]:
    editions = sorted(projects["edition"].unique())
    return editions[-2], editions[-1]


def _select(projects: pd.DataFrame) -> pd.DataFrame:
    mask = projects["ministry_id"].isin(SELECTION.ministries) & projects["phase"].astype(str).isin(SELECTION.phases)
    text = projects[["project_name", "description", "ministry_label", "project_id"]].fillna("")
    haystack = _fold(
        text["project_name"] + " " + text["description"] + " " + text["ministry_label"] + " " + text["project_id"]
    )
    mask &= haystack.str.contains(SELECTION.query, regex=False)
    return projects[mask]


def overview(projects: pd.DataFrame) -> Outputs:
    _, latest = _latest_two(projects)
    selected = _select(projects)
    current = selected[selected["edition"] == latest]
    drift, cost = current["budget_drift"], current["cost_meur"]
    weight = cost[drift.notna()].sum()
    summary = pd.DataFrame(
        {
            "project_count": [len(current)],
            "total_cost_meur": [cost.sum(min_count=1)],
            "mean_budget_drift": [drift.mean()],
            "median_budget_drift": [drift.median()],
            "weighted_budget_drift": [(drift * cost).sum() / weight if weight > 0 else None],
            "over_threshold": [int((drift > DRIFT_THRESHOLD + TOLERANCE).sum())],
        }
    )
    by_ministry = (
        current.groupby("ministry_id", as_index=False)
        .agg(projects=("project_id", "size"), cost_meur=("cost_meur", lambda c: c.sum(min_count=1)))
        .sort_values(["cost_meur", "projects", "ministry_id"], ascending=[False, False, True])
    )
    by_phase = (
        current.assign(phase=current["phase"].astype(str))
        .groupby("phase", as_index=False)
        .agg(projects=("project_id", "size"), cost_meur=("cost_meur", lambda c: c.sum(min_count=1)))
    )
    trajectory = (
        selected.groupby("edition", as_index=False)
        .agg(
            projects=("project_id", "size"),
            total_cost_meur=("cost_meur", lambda c: c.sum(min_count=1)),
            avg_budget_drift=("budget_drift", "mean"),
        )
        .sort_values("edition")
    )
    return {"summary": summary, "by_ministry": by_ministry, "by_phase": by_phase, "trajectory": trajectory}


def drift(raw: pd.DataFrame) -> Outputs:
    frame = raw.sort_values(["project_id", "edition"])
    by_project = frame.groupby("project_id", sort=False)
    out = frame[["project_id", "edition"]].copy()
    for value, baseline, ratio in (
        ("cost_meur", "baseline_cost_meur", "budget_drift"),
        ("duration_years", "baseline_duration_years", "schedule_drift"),
    ):
        first_edition = frame["edition"].where(frame[value].notna()).groupby(frame["project_id"]).transform("min")
        known = frame["edition"] >= first_edition
        out[baseline] = by_project[value].transform("first").where(known)  # pandas' first skips nulls
        out[ratio] = (frame[value] / out[baseline] - 1).where(out[baseline] != 0)
    out["previous_edition"] = by_project["edition"].shift(1)
    out["cost_change_meur"] = frame["cost_meur"] - by_project["cost_meur"].shift(1)
    out["budget_drift_change"] = out["budget_drift"] - out.groupby("project_id", sort=False)["budget_drift"].shift(1)
    return {"drift": out.drop(columns="baseline_duration_years")}


def _last_known(frame: pd.DataFrame) -> pd.DataFrame:
    ordered = frame.sort_values("edition")
    return ordered.groupby("project_id").agg(
        last_known_cost_meur=("cost_meur", "last"), last_known_budget_drift=("budget_drift", "last")
    )


def movements(projects: pd.DataFrame) -> Outputs:
    previous, latest = _latest_two(projects)
    in_a = projects[projects["edition"] == previous]
    in_b = projects[projects["edition"] == latest]
    entrants = in_b[~in_b["project_id"].isin(in_a["project_id"])]
    leavers = in_a[~in_a["project_id"].isin(in_b["project_id"])].merge(
        _last_known(projects[projects["edition"] <= previous]), on="project_id", how="left"
    )
    continuing = in_b.merge(in_a[["project_id", "cost_meur"]], on="project_id", suffixes=("", "_from"))
    continuing["cost_change_meur"] = continuing["cost_meur"] - continuing["cost_meur_from"]
    last_edition = projects.groupby("project_id")["edition"].transform("max")
    at_exit = projects[(projects["edition"] == last_edition) & (projects["edition"] < latest)]
    known = _last_known(projects).join(
        projects.sort_values("edition").groupby("project_id").agg(last_known_schedule_drift=("schedule_drift", "last"))
    )
    watch = at_exit.merge(known, on="project_id")
    over = (watch["last_known_budget_drift"] > DRIFT_THRESHOLD + TOLERANCE) | (
        watch["last_known_schedule_drift"] > DRIFT_THRESHOLD + TOLERANCE
    )
    return {
        "entrants": entrants[["project_id", "cost_meur"]],
        "leavers": leavers[["project_id", "last_known_cost_meur"]],
        "continuing": continuing[["project_id", "cost_change_meur"]],
        "exit_watch": watch[over].rename(columns={"edition": "last_edition"})[
            ["project_id", "last_edition", "last_known_budget_drift"]
        ],
    }


def simulations(projects: pd.DataFrame) -> Outputs:
    _, latest = _latest_two(projects)
    current = projects[projects["edition"] == latest]
    cost = current["cost_meur"]
    inside = cost >= THRESHOLD_MEUR
    entering = inside & (cost < 9.0)
    threshold = pd.DataFrame(
        {
            "inside": [int(inside.sum())],
            "cost_inside_meur": [cost[inside].sum()],
            "entering": [int(entering.sum())],
            "withheld": [int(cost.isna().sum())],
        }
    )
    rows = []
    for dimension, column in (("Budget", "budget_drift"), ("Calendrier", "schedule_drift")):
        for level in ALERT_LEVELS:
            flagged = current[current[column] > level + TOLERANCE]
            rows.append((dimension, level, len(flagged), flagged["budget_drift_meur"].sum()))
    alerts = pd.DataFrame(rows, columns=["dimension", "level", "projects", "drift_meur"])
    assessed = current.dropna(subset=["cost_meur", "baseline_cost_meur"])
    excess = assessed["cost_meur"] - assessed["baseline_cost_meur"] * (1 + DRIFT_CAP)
    assessed = assessed.assign(avoided_meur=excess.where(excess > TOLERANCE, 0.0))
    cap = (
        assessed.assign(capped=assessed["avoided_meur"] > 0)
        .groupby("ministry_id", as_index=False)
        .agg(projects_capped=("capped", "sum"), avoided_meur=("avoided_meur", "sum"))
    )
    return {"threshold": threshold, "alerts": alerts, "cap": cap}


_DECP_COLUMNS = [
    "id",
    "uid",
    "acheteur_id",
    "acheteur_nom",
    "codeCPV",
    "idAccordCadre",
    "dateNotification",
    "montant",
    "titulaire_id",
    "titulaire_denominationSociale",
    "objetModification",
    "donneesActuelles",
]


def name_key(name: str) -> str:
    """Same folding as analytics.text.match_key_expr, on one registry or holder name."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if unicodedata.category(c) != "Mn").lower()
    return " ".join("".join(c if c.isascii() and c.isalnum() else " " for c in folded).split())


def awardee_keys(bench: BenchFramework) -> list[tuple[str, str]]:
    """(name key, holder label) of the lots linked by identifier, longest key first, first occurrence wins."""
    keys: dict[str, str] = {}
    holders = [h for lot in bench.framework.lots if lot.decp.expected_id for h in lot.named_holders]
    for awardee in holders:
        for name in awardee.all_names:
            keys.setdefault(name_key(name), awardee.name)
    return sorted(((k, v) for k, v in keys.items() if k), key=lambda kv: -len(kv[0]))


def _awardee_of(holder: str | None, keys: list[tuple[str, str]]) -> str | None:
    if holder is None:
        return None
    key = name_key(holder)
    return next((label for k, label in keys if key == k or key.startswith(k + " ")), None)


def _read(path: Path, ids: list[str]) -> pd.DataFrame:
    if path.suffix == ".parquet":
        table = pd.read_parquet(path, columns=_DECP_COLUMNS, filters=[("idAccordCadre", "in", ids)])
    else:
        table = pd.read_csv(path, usecols=_DECP_COLUMNS, dtype=str, keep_default_na=False)
        table = table[table["idAccordCadre"].isin(ids)].replace("", None)
    table["montant"] = pd.to_numeric(table["montant"], errors="coerce")
    table["dateNotification"] = pd.to_datetime(table["dateNotification"].astype(str).str[:10], errors="coerce")
    table["current"] = table["donneesActuelles"].astype(str).str.strip().str.lower().isin(TRUE_WORDS)
    return table


def contracts(path: Path, bench: BenchFramework) -> pd.DataFrame:
    """Countable contracts of the framework: current state, initial notification date, lead holder."""
    table = _read(path, list(bench.ids))
    superseded = table[~table["current"]].drop_duplicates(["acheteur_id", "id"])
    current = table[table["current"]].copy()
    modified = current["objetModification"].notna() & current["id"].str.contains(r"[0-9]{2}$", regex=True)
    current["initial_id"] = (current["id"].str[:-2] + "00").where(modified)
    current = current.merge(
        superseded[["acheteur_id", "id", "dateNotification"]].rename(
            columns={"id": "initial_id", "dateNotification": "initial_date"}
        ),
        on=["acheteur_id", "initial_id"],
        how="left",
    )
    current["notification_date"] = current["initial_date"].fillna(current["dateNotification"])
    current["contract_uid"] = current["uid"].fillna(current["acheteur_id"] + current["id"])
    lead = current.groupby("contract_uid", sort=False).first()
    amount = lead["montant"]
    countable = amount.notna() & (amount != ABSURD_AMOUNT_MARKER) & (amount > 0) & (amount < AMOUNT_CEILING_EUR)
    kept = lead[countable].reset_index()
    keys = awardee_keys(bench)
    groups = {name: _awardee_of(name, keys) for name in kept["titulaire_denominationSociale"].dropna().unique()}
    awardee = kept["titulaire_denominationSociale"].map(groups)
    kept["contractor"] = awardee.fillna(kept["titulaire_denominationSociale"] + " (hors registre)")
    return kept


def _shares(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    grouped = frame.groupby(key, as_index=False).agg(
        contracts=("contract_uid", "size"), notified_eur=("montant", "sum")
    )
    return grouped.sort_values(["notified_eur", key], ascending=[False, True])


def decp(path: Path, bench: BenchFramework) -> Outputs:
    kept = contracts(path, bench)
    framework = bench.framework
    start, end = framework.start_date, framework.end_date
    horizon = min(AS_OF, end) if end else AS_OF
    months = kept["notification_date"].dt.to_period("M").dt.to_timestamp()
    monthly = kept.groupby(months)["montant"].sum()
    last = max(pd.Timestamp(horizon).to_period("M").to_timestamp(), months.max())
    first = min(pd.Timestamp(start).to_period("M").to_timestamp(), months.min())
    span = pd.date_range(first, last, freq="MS")
    burn = pd.DataFrame({"month": span, "notified_eur": monthly.reindex(span, fill_value=0.0).to_numpy()})
    burn["cumulative_eur"] = burn["notified_eur"].cumsum()
    quarters = kept["notification_date"].dt.to_period("Q").dt.to_timestamp()
    by_quarter = (
        kept.groupby(quarters.rename("quarter_start"))
        .agg(contracts=("contract_uid", "size"), notified_eur=("montant", "sum"))
        .reset_index()
    )
    by_contractor = _shares(kept, "contractor")
    shares = by_contractor["notified_eur"] / by_contractor["notified_eur"].sum()
    period_end = pd.Timestamp(min(AS_OF, end) if end else AS_OF)
    in_period = (kept["notification_date"] <= period_end) & (kept["notification_date"] >= pd.Timestamp(start))
    totals = pd.DataFrame(
        {
            "contracts": [len(kept)],
            "total_eur": [kept["montant"].sum()],
            "median_eur": [kept["montant"].median()],
            "top1_share": [shares.iloc[0]],
            "top3_share": [shares.head(3).sum()],
            "pace_notified_eur": [kept.loc[in_period, "montant"].sum()],
        }
    )
    kept.nlargest(10, "montant")
    return {
        "burn_up": burn,
        "by_beneficiary": _shares(kept.rename(columns={"acheteur_id": "buyer_id"}), "buyer_id"),
        "by_contractor": by_contractor,
        "by_quarter": by_quarter,
        "totals": totals,
    }
