"""DuckDB SQL versions of the page computations, for the benchmark only (never used by the app).

Panorama frames are registered once as in-memory tables (as the app keeps its frames in memory); DECP files
are read by DuckDB directly. Results are materialised as polars frames (`.pl()`), as a page would need.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from analytics.decp.normalise import ABSURD_AMOUNT_MARKER, AMOUNT_CEILING_EUR
from analytics.panorama.parsing import TRUE_WORDS
from benchmarks.pandas_impl import awardee_keys
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
Outputs = dict[str, pl.DataFrame]


def connect(raw: pl.DataFrame, projects: pl.DataFrame) -> duckdb.DuckDBPyConnection:
    """A connection holding `raw` (without drift) and `projects` (with drift) as native tables."""
    con = duckdb.connect()
    con.register("raw_view", raw.with_columns(pl.col("phase", "cost_bracket").cast(pl.String)))
    con.register("projects_view", projects.with_columns(pl.col("phase", "cost_bracket").cast(pl.String)))
    con.execute("CREATE TABLE raw AS SELECT * FROM raw_view")
    con.execute("CREATE TABLE projects AS SELECT * FROM projects_view")
    con.unregister("raw_view")
    con.unregister("projects_view")
    return con


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _latest_two(con: duckdb.DuckDBPyConnection) -> tuple[object, object]:
    rows = con.sql("SELECT DISTINCT edition FROM projects ORDER BY edition DESC LIMIT 2").fetchall()
    return rows[1][0], rows[0][0]


def overview(con: duckdb.DuckDBPyConnection) -> Outputs:
    _, latest = _latest_two(con)
    fold = "lower(strip_accents(concat_ws(' ', project_name, description, ministry_label, project_id)))"
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW selected AS SELECT * FROM projects
        WHERE ministry_id IN ({_sql_list(SELECTION.ministries)}) AND phase IN ({_sql_list(SELECTION.phases)})
        AND contains({fold}, {_sql_list([SELECTION.query])})"""
    )
    current = f"(SELECT * FROM selected WHERE edition = DATE '{latest}')"
    summary = con.sql(
        f"""SELECT count(*) AS project_count, sum(cost_meur) AS total_cost_meur,
        avg(budget_drift) AS mean_budget_drift, median(budget_drift) AS median_budget_drift,
        CASE WHEN sum(cost_meur) FILTER (WHERE budget_drift IS NOT NULL) > 0
             THEN sum(budget_drift * cost_meur) / sum(cost_meur) FILTER (WHERE budget_drift IS NOT NULL) END
             AS weighted_budget_drift,
        count(*) FILTER (WHERE budget_drift > {DRIFT_THRESHOLD + TOLERANCE}) AS over_threshold
        FROM {current}"""
    ).pl()
    by_ministry = con.sql(
        f"""SELECT ministry_id, count(*) AS projects, sum(cost_meur) AS cost_meur FROM {current}
        GROUP BY ministry_id ORDER BY cost_meur DESC NULLS LAST, projects DESC, ministry_id"""
    ).pl()
    by_phase = con.sql(
        f"SELECT phase, count(*) AS projects, sum(cost_meur) AS cost_meur FROM {current} GROUP BY phase"
    ).pl()
    trajectory = con.sql(
        """SELECT edition, count(*) AS projects, sum(cost_meur) AS total_cost_meur,
        avg(budget_drift) AS avg_budget_drift FROM selected GROUP BY edition ORDER BY edition"""
    ).pl()
    return {"summary": summary, "by_ministry": by_ministry, "by_phase": by_phase, "trajectory": trajectory}


def drift(con: duckdb.DuckDBPyConnection) -> Outputs:
    query = """
    WITH base AS (
        SELECT project_id, edition, cost_meur, duration_years,
            min(edition) FILTER (WHERE cost_meur IS NOT NULL) OVER p AS cost_from,
            first_value(cost_meur IGNORE NULLS) OVER (p ORDER BY edition
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_cost,
            min(edition) FILTER (WHERE duration_years IS NOT NULL) OVER p AS duration_from,
            first_value(duration_years IGNORE NULLS) OVER (p ORDER BY edition
                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_duration,
            lag(edition) OVER (p ORDER BY edition) AS previous_edition,
            cost_meur - lag(cost_meur) OVER (p ORDER BY edition) AS cost_change_meur
        FROM raw WINDOW p AS (PARTITION BY project_id)
    ), ratios AS (
        SELECT *,
            CASE WHEN edition >= cost_from THEN first_cost END AS baseline_cost_meur,
            CASE WHEN edition >= duration_from THEN first_duration END AS baseline_duration_years
        FROM base
    ), drifts AS (
        SELECT *,
            CASE WHEN baseline_cost_meur <> 0 THEN cost_meur / baseline_cost_meur - 1 END AS budget_drift,
            CASE WHEN baseline_duration_years <> 0 THEN duration_years / baseline_duration_years - 1 END
                AS schedule_drift
        FROM ratios
    )
    SELECT project_id, edition, baseline_cost_meur, budget_drift, schedule_drift, previous_edition,
        cost_change_meur,
        budget_drift - lag(budget_drift) OVER (PARTITION BY project_id ORDER BY edition) AS budget_drift_change
    FROM drifts
    """
    return {"drift": con.sql(query).pl()}


def movements(con: duckdb.DuckDBPyConnection) -> Outputs:
    previous, latest = _latest_two(con)
    a, b = f"DATE '{previous}'", f"DATE '{latest}'"
    last_known = """SELECT project_id,
        arg_max(cost_meur, edition) FILTER (WHERE cost_meur IS NOT NULL) AS last_known_cost_meur,
        arg_max(budget_drift, edition) FILTER (WHERE budget_drift IS NOT NULL) AS last_known_budget_drift,
        arg_max(schedule_drift, edition) FILTER (WHERE schedule_drift IS NOT NULL) AS last_known_schedule_drift
        FROM projects {where} GROUP BY project_id"""
    entrants = con.sql(
        f"""SELECT project_id, cost_meur FROM projects WHERE edition = {b}
        AND project_id NOT IN (SELECT project_id FROM projects WHERE edition = {a})"""
    ).pl()
    leavers = con.sql(
        f"""SELECT l.project_id, k.last_known_cost_meur FROM projects l
        LEFT JOIN ({last_known.format(where=f"WHERE edition <= {a}")}) k USING (project_id)
        WHERE l.edition = {a} AND l.project_id NOT IN (SELECT project_id FROM projects WHERE edition = {b})"""
    ).pl()
    continuing = con.sql(
        f"""SELECT n.project_id, n.cost_meur - o.cost_meur AS cost_change_meur
        FROM projects n JOIN projects o ON n.project_id = o.project_id AND o.edition = {a}
        WHERE n.edition = {b}"""
    ).pl()
    watch = con.sql(
        f"""WITH at_exit AS (
            SELECT * FROM projects QUALIFY edition = max(edition) OVER (PARTITION BY project_id)
        )
        SELECT e.project_id, e.edition AS last_edition, k.last_known_budget_drift
        FROM at_exit e JOIN ({last_known.format(where="")}) k USING (project_id)
        WHERE e.edition < {b} AND (k.last_known_budget_drift > {DRIFT_THRESHOLD + TOLERANCE}
            OR k.last_known_schedule_drift > {DRIFT_THRESHOLD + TOLERANCE})"""
    ).pl()
    return {"entrants": entrants, "leavers": leavers, "continuing": continuing, "exit_watch": watch}


def simulations(con: duckdb.DuckDBPyConnection) -> Outputs:
    _, latest = _latest_two(con)
    current = f"(SELECT * FROM projects WHERE edition = DATE '{latest}')"
    threshold = con.sql(
        f"""SELECT count(*) FILTER (WHERE cost_meur >= {THRESHOLD_MEUR}) AS inside,
        coalesce(sum(cost_meur) FILTER (WHERE cost_meur >= {THRESHOLD_MEUR}), 0) AS cost_inside_meur,
        count(*) FILTER (WHERE cost_meur >= {THRESHOLD_MEUR} AND cost_meur < 9) AS entering,
        count(*) FILTER (WHERE cost_meur IS NULL) AS withheld FROM {current}"""
    ).pl()
    levels = ", ".join(f"('{d}', {lvl})" for d in ("Budget", "Calendrier") for lvl in ALERT_LEVELS)
    alerts = con.sql(
        f"""SELECT l.dimension, l.level, count(p.project_id) AS projects,
        coalesce(sum(p.budget_drift_meur), 0) AS drift_meur
        FROM (VALUES {levels}) l(dimension, level) LEFT JOIN {current} p
        ON (CASE WHEN l.dimension = 'Budget' THEN p.budget_drift ELSE p.schedule_drift END) > l.level + {TOLERANCE}
        GROUP BY l.dimension, l.level ORDER BY l.dimension, l.level"""
    ).pl()
    cap = con.sql(
        f"""WITH assessed AS (
            SELECT ministry_id, cost_meur - baseline_cost_meur * (1 + {DRIFT_CAP}) AS excess FROM {current}
            WHERE cost_meur IS NOT NULL AND baseline_cost_meur IS NOT NULL
        )
        SELECT ministry_id, count(*) FILTER (WHERE excess > {TOLERANCE}) AS projects_capped,
        sum(CASE WHEN excess > {TOLERANCE} THEN excess ELSE 0 END) AS avoided_meur
        FROM assessed GROUP BY ministry_id"""
    ).pl()
    return {"threshold": threshold, "alerts": alerts, "cap": cap}


def _source(path: Path) -> str:
    if path.suffix == ".parquet":
        return f"read_parquet('{path}')"
    return f"read_csv('{path}', all_varchar = true, header = true)"


def decp(path: Path, bench: BenchFramework, con: duckdb.DuckDBPyConnection | None = None) -> Outputs:
    con = con or duckdb.connect()
    framework = bench.framework
    keys = awardee_keys(bench)
    con.execute("CREATE OR REPLACE TEMP TABLE awardee_keys (key VARCHAR, label VARCHAR, rank INTEGER)")
    if keys:  # lot 2's holders are not published: no key, every holder is "hors registre"
        con.executemany("INSERT INTO awardee_keys VALUES (?, ?, ?)", [(k, v, i) for i, (k, v) in enumerate(keys)])
    start, end = framework.start_date, framework.end_date
    horizon = min(AS_OF, end) if end else AS_OF
    name_key = "trim(regexp_replace(lower(strip_accents(titulaire_denominationSociale)), '[^a-z0-9]+', ' ', 'g'))"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE kept AS
        WITH raw AS (
            SELECT *, row_number() OVER () AS row_no,
                lower(trim(CAST(donneesActuelles AS VARCHAR))) IN ({_sql_list(list(TRUE_WORDS))}) AS is_current,
                TRY_CAST(montant AS DOUBLE) AS amount,
                TRY_CAST(substr(CAST(dateNotification AS VARCHAR), 1, 10) AS DATE) AS notified
            FROM {_source(path)} WHERE idAccordCadre IN ({_sql_list(bench.ids)})
        ), initial AS (
            SELECT acheteur_id, id AS initial_id, notified AS initial_date FROM raw WHERE NOT is_current
            QUALIFY row_number() OVER (PARTITION BY acheteur_id, id ORDER BY row_no) = 1
        ), current_rows AS (
            SELECT r.*, coalesce(i.initial_date, r.notified) AS notification_date,
                coalesce(r.uid, r.acheteur_id || r.id) AS contract_uid
            FROM raw r LEFT JOIN initial i ON i.acheteur_id = r.acheteur_id
                AND i.initial_id = CASE WHEN r.objetModification IS NOT NULL AND regexp_matches(r.id, '[0-9]{{2}}$')
                    THEN left(r.id, length(r.id) - 2) || '00' END
            WHERE r.is_current
        ), lead AS (
            SELECT * FROM current_rows
            QUALIFY row_number() OVER (PARTITION BY contract_uid ORDER BY row_no) = 1
        ), named AS (
            SELECT l.*, {name_key} AS holder_key FROM lead l
            WHERE amount IS NOT NULL AND amount <> {ABSURD_AMOUNT_MARKER} AND amount > 0
                AND amount < {AMOUNT_CEILING_EUR}
        )
        SELECT n.contract_uid, n.acheteur_id AS buyer_id, n.amount, n.notification_date,
            coalesce(
                (SELECT label FROM awardee_keys k WHERE n.holder_key = k.key OR starts_with(n.holder_key, k.key || ' ')
                 ORDER BY k.rank LIMIT 1),
                n.titulaire_denominationSociale || ' (hors registre)') AS contractor
        FROM named n"""
    )
    shares = """SELECT {key}, count(*) AS contracts, sum(amount) AS notified_eur FROM kept GROUP BY {key}
        ORDER BY notified_eur DESC, {key}"""
    burn_up = con.sql(
        f"""WITH span AS (
            SELECT least(DATE '{start}', min(date_trunc('month', notification_date))) AS first_month,
                greatest(DATE '{horizon}', max(notification_date)) AS last_day FROM kept
        ), months AS (
            SELECT CAST(unnest(generate_series(first_month, date_trunc('month', last_day), INTERVAL 1 MONTH))
                AS DATE) AS month FROM span
        ), monthly AS (
            SELECT date_trunc('month', notification_date) AS month, sum(amount) AS notified FROM kept GROUP BY 1
        )
        SELECT m.month, coalesce(monthly.notified, 0) AS notified_eur,
            sum(coalesce(monthly.notified, 0)) OVER (ORDER BY m.month) AS cumulative_eur
        FROM months m LEFT JOIN monthly USING (month) ORDER BY m.month"""
    ).pl()
    by_contractor = con.sql(shares.format(key="contractor")).pl()
    totals = con.sql(
        f"""WITH ranked AS (
            SELECT notified_eur / sum(notified_eur) OVER () AS share,
                row_number() OVER (ORDER BY notified_eur DESC, contractor) AS rank
            FROM ({shares.format(key="contractor")})
        )
        SELECT (SELECT count(*) FROM kept) AS contracts, (SELECT sum(amount) FROM kept) AS total_eur,
            (SELECT median(amount) FROM kept) AS median_eur,
            (SELECT share FROM ranked WHERE rank = 1) AS top1_share,
            (SELECT sum(share) FROM ranked WHERE rank <= 3) AS top3_share,
            (SELECT coalesce(sum(amount), 0) FROM kept WHERE notification_date BETWEEN DATE '{start}'
                AND DATE '{min(AS_OF, end) if end else AS_OF}') AS pace_notified_eur"""
    ).pl()
    return {
        "burn_up": burn_up,
        "by_beneficiary": con.sql(shares.format(key="buyer_id")).pl(),
        "by_contractor": by_contractor,
        "by_quarter": con.sql(
            """SELECT CAST(date_trunc('quarter', notification_date) AS DATE) AS quarter_start,
            count(*) AS contracts, sum(amount) AS notified_eur FROM kept GROUP BY 1 ORDER BY 1"""
        ).pl(),
        "totals": totals,
    }
