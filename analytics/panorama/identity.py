"""Identity of projects and ministries across panorama editions.

Projects are renamed between editions and ministries at every reshuffle, so the published strings are
not identifiers. Two reviewed crosswalks (verbatim published strings -> stable slugs) give the identity;
this module holds the name normalisation and similarity scores used to *propose* crosswalk rows, the
checks that a crosswalk covers the editions, and the join that attaches the ids.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from analytics.text import match_key_expr

MINISTRY_CROSSWALK_SCHEMA: dict[str, pl.DataType] = {
    "ministry_name": pl.String(),  # verbatim "Ministère porteur"
    "ministry_id": pl.String(),
    "ministry_label": pl.String(),
}
PROJECT_CROSSWALK_SCHEMA: dict[str, pl.DataType] = {
    "edition": pl.String(),  # "YYYY-MM"
    "ministry_name": pl.String(),  # verbatim "Ministère porteur"
    "project_name": pl.String(),  # verbatim "Projet"
    "project_id": pl.String(),
    "match_note": pl.String(),
}
PROJECT_KEY: tuple[str, ...] = ("edition", "ministry_name", "project_name")

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
EDITION_PATTERN = r"^\d{4}-(?:0[1-9]|1[0-2])$"

# Articles and prepositions carry no identity: "Compte Personnel d'Activité" is "CPA".
STOPWORDS: tuple[str, ...] = ("a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les")
# Phase / version / step markers and generic prefixes, removed only to compare names. They are also
# what distinguishes a genuinely new phase from a rename, hence human review of every such match.
NOISE_PATTERNS: tuple[str, ...] = (
    r"^(?:projet|generalisation) ",
    r" etape(?: .*)?$",
    r" phase (?:\d+|[ivx]+)$",
    r" cycle \d+$",
    r" version \d+$",
    r" v\d+$",
)

# Weights of the proposal confidence (sum to 1). Name dominates; ministry, start month and description
# separate renames from look-alikes.
WEIGHT_NAME = 0.5
WEIGHT_MINISTRY = 0.15
WEIGHT_START = 0.15
WEIGHT_DESCRIPTION = 0.2
# Confidence at or above which the proposal reuses the candidate's id rather than a new one.
MATCH_THRESHOLD = 0.6


def normalise_name(expr: pl.Expr) -> pl.Expr:
    """Matching key of a project name: `match_key_expr` minus phase/version/step noise. Never displayed."""
    out = match_key_expr(expr)
    for pattern in NOISE_PATTERNS:
        out = out.str.replace(pattern, "")
    return out.str.strip_chars()


def compact(expr: pl.Expr) -> pl.Expr:
    """Key without spaces, so "France Connect" and "FranceConnect", "MCIC-2" and "MCIC²" meet."""
    return expr.str.replace_all(" ", "", literal=True)


def tokens(normalised: pl.Expr) -> pl.Expr:
    """Meaningful words of an already normalised string, in order."""
    return normalised.str.split(" ").list.eval(
        pl.element().filter(pl.element().str.len_chars().gt(0) & ~pl.element().is_in(STOPWORDS))
    )


def acronym(normalised: pl.Expr) -> pl.Expr:
    """Initials of the meaningful words: "reseau interministeriel de l etat" -> "rie"."""
    return tokens(normalised).list.eval(pl.element().str.slice(0, 1)).list.join("")


def start_key(debut: pl.Expr) -> pl.Expr:
    """Comparable start month: "juillet 2013" and "juillet 13" (format from 2019-03 on) give "juillet 13"."""
    text = match_key_expr(debut)
    return pl.concat_str(
        text.str.extract(r"^([a-z]+)"), text.str.extract(r"(\d{2})$"), separator=" ", ignore_nulls=False
    )


def jaccard(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """Jaccard index of two list columns (0 when both are empty)."""
    inter = left.list.set_intersection(right).list.len()
    union = left.list.set_union(right).list.len()
    return pl.when(union > 0).then(inter / union).otherwise(0.0)


def description_words(description: pl.Expr) -> pl.Expr:
    """Distinct words of at least 4 letters of a description, without its HTML links."""
    text = match_key_expr(description.str.replace_all(r"<[^>]*>", " ").fill_null(""))
    return text.str.split(" ").list.eval(pl.element().filter(pl.element().str.len_chars() >= 4)).list.unique()


def with_match_features(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Add the matching features of rows holding project_name, description and start (raw "Début")."""
    return rows.with_columns(
        _text=match_key_expr(pl.col("project_name")),
        _key=normalise_name(pl.col("project_name")),
    ).with_columns(
        _compact=compact(pl.col("_key")),
        _tokens=tokens(pl.col("_key")).list.unique(),
        _acronym=acronym(pl.col("_key")),
        _start=start_key(pl.col("start")),
        _words=description_words(pl.col("description")),
    )


def name_similarity(left: str, right: str) -> pl.Expr:
    """Similarity in [0, 1] of two featured names (column prefixes `left`, `right`).

    1 same text, 0.9 same once noise is removed, 0.8 same without spaces, acronym of the other or
    containing the other (3+ letters), otherwise the Jaccard index of their words.
    """
    lc, rc = pl.col(f"{left}_compact"), pl.col(f"{right}_compact")
    la, ra = pl.col(f"{left}_acronym"), pl.col(f"{right}_acronym")
    long_enough = (lc.str.len_chars() >= 3) & (rc.str.len_chars() >= 3)
    contained = long_enough & (lc.str.contains(rc, literal=True) | rc.str.contains(lc, literal=True))
    acronyms = long_enough & ((lc == ra) | (rc == la))
    return (
        pl.when(pl.col(f"{left}_text") == pl.col(f"{right}_text"))
        .then(1.0)
        .when(pl.col(f"{left}_key") == pl.col(f"{right}_key"))
        .then(0.9)
        .when((lc == rc) | contained | acronyms)
        .then(0.8)
        .otherwise(jaccard(pl.col(f"{left}_tokens"), pl.col(f"{right}_tokens")))
    )


def score_candidates(new: pl.LazyFrame, known: pl.LazyFrame) -> pl.LazyFrame:
    """Every (new row, known project) pair with its similarity features and confidence.

    `new` and `known` hold project_name, ministry_id, start, description; `known` also project_id.
    Output columns of `known` are prefixed "candidate_".
    """
    feature_cols = ["_text", "_key", "_compact", "_tokens", "_acronym", "_start", "_words"]
    left = with_match_features(new).rename({c: f"newf{c}" for c in feature_cols})
    right = with_match_features(known)
    right = right.rename(
        {c: f"candf{c}" for c in feature_cols}
        | {c: f"candidate_{c}" for c in right.collect_schema().names() if not c.startswith("_")}
    )
    pairs = left.join(right, how="cross")
    same_ministry = pl.col("ministry_id") == pl.col("candidate_ministry_id")
    same_start = (pl.col("newf_start") == pl.col("candf_start")).fill_null(False)
    return (
        pairs.with_columns(
            name_score=name_similarity("newf", "candf"),
            same_ministry=same_ministry.fill_null(False),
            same_start=same_start,
            description_score=jaccard(pl.col("newf_words"), pl.col("candf_words")),
        )
        .with_columns(
            confidence=(
                WEIGHT_NAME * pl.col("name_score")
                + WEIGHT_MINISTRY * pl.col("same_ministry").cast(pl.Float64)
                + WEIGHT_START * pl.col("same_start").cast(pl.Float64)
                + WEIGHT_DESCRIPTION * pl.col("description_score")
            ).round(3)
        )
        .drop([f"newf{c}" for c in feature_cols] + [f"candf{c}" for c in feature_cols])
    )


def best_candidates(scored: pl.LazyFrame, row_key: list[str]) -> pl.LazyFrame:
    """Best candidate per new row, each candidate id given to at most one row (its best match).

    A project cannot appear twice in one edition, so a row that loses its candidate to a better row
    keeps no candidate and is proposed as a new project.
    """
    order = ["confidence", "name_score", "description_score"]
    best = scored.sort(order, descending=True).group_by(row_key, maintain_order=True).first()
    winners = best.sort(order, descending=True).unique("candidate_project_id", keep="first")
    return best.select(row_key).join(winners, on=row_key, how="left")


def read_ministry_crosswalk(path: Path) -> pl.DataFrame:
    """Reviewed ministry crosswalk, strings kept verbatim (no whitespace trimming)."""
    return pl.read_csv(path, schema=MINISTRY_CROSSWALK_SCHEMA)


def read_project_crosswalk(path: Path) -> pl.DataFrame:
    """Reviewed project crosswalk, strings kept verbatim (no whitespace trimming)."""
    return pl.read_csv(path, schema=PROJECT_CROSSWALK_SCHEMA)


def attach_identity(rows: pl.LazyFrame, projects: pl.LazyFrame, ministries: pl.LazyFrame) -> pl.LazyFrame:
    """Add project_id, match_note, ministry_id and ministry_label to rows keyed by edition ("YYYY-MM"),
    ministry_name and project_name (verbatim). Unmapped rows get nulls: check with the validators."""
    return rows.join(projects, on=list(PROJECT_KEY), how="left").join(ministries, on="ministry_name", how="left")


def _duplicates(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    return frame.filter(pl.struct(key).is_duplicated()).unique(key).sort(key)


def validate_ministry_crosswalk(crosswalk: pl.DataFrame, published_names: pl.Series) -> list[str]:
    """Problems (in French, empty when valid): unmapped or unknown names, duplicate keys, bad slugs,
    one id with several labels."""
    problems: list[str] = []
    published = pl.DataFrame({"ministry_name": published_names.unique()})
    for name in published.join(crosswalk, on="ministry_name", how="anti").sort("ministry_name")["ministry_name"]:
        problems.append(f"crosswalk_ministries.csv : le ministère publié « {name} » n'a pas de ligne.")
    for name in crosswalk.join(published, on="ministry_name", how="anti")["ministry_name"]:
        problems.append(f"crosswalk_ministries.csv : « {name} » n'apparaît dans aucune édition.")
    for name in _duplicates(crosswalk, ["ministry_name"])["ministry_name"]:
        problems.append(f"crosswalk_ministries.csv : « {name} » figure plusieurs fois (colonne ministry_name).")
    for row in crosswalk.filter(~pl.col("ministry_id").fill_null("").str.contains(SLUG_PATTERN)).iter_rows(named=True):
        problems.append(
            f"crosswalk_ministries.csv : ministry_id « {row['ministry_id']} » de « {row['ministry_name']} »"
            " n'est pas un identifiant ASCII en minuscules séparé par des tirets."
        )
    labels = crosswalk.group_by("ministry_id").agg(pl.col("ministry_label").unique().sort())
    for row in labels.filter(pl.col("ministry_label").list.len() > 1).sort("ministry_id").iter_rows(named=True):
        problems.append(
            f"crosswalk_ministries.csv : ministry_id « {row['ministry_id']} » a plusieurs libellés "
            f"(colonne ministry_label) : {', '.join(row['ministry_label'])}."
        )
    return problems


def validate_project_crosswalk(crosswalk: pl.DataFrame, published: pl.DataFrame) -> list[str]:
    """Problems (in French, empty when valid): every published (edition, ministry_name, project_name)
    mapped exactly once, nothing extra, valid slugs and editions, notes filled, no id twice per edition."""
    key = list(PROJECT_KEY)
    problems: list[str] = []
    published_keys = published.select(key).unique()
    for row in published_keys.join(crosswalk, on=key, how="anti").sort(key).iter_rows(named=True):
        problems.append(
            f"crosswalk_projects.csv : édition {row['edition']}, le projet « {row['project_name']} » "
            f"(« {row['ministry_name']} ») n'a pas de ligne."
        )
    for row in crosswalk.join(published_keys, on=key, how="anti").sort(key).iter_rows(named=True):
        problems.append(
            f"crosswalk_projects.csv : édition {row['edition']}, le projet « {row['project_name']} » "
            f"(« {row['ministry_name']} ») n'existe pas dans cette édition."
        )
    for row in _duplicates(crosswalk, key).iter_rows(named=True):
        problems.append(
            f"crosswalk_projects.csv : édition {row['edition']}, le projet « {row['project_name']} » "
            "figure plusieurs fois."
        )
    for row in _duplicates(crosswalk, ["edition", "project_id"]).iter_rows(named=True):
        problems.append(
            f"crosswalk_projects.csv : édition {row['edition']}, project_id « {row['project_id']} » "
            "est donné à plusieurs projets de la même édition."
        )
    bad = crosswalk.filter(
        ~pl.col("project_id").fill_null("").str.contains(SLUG_PATTERN)
        | ~pl.col("edition").fill_null("").str.contains(EDITION_PATTERN)
        | pl.col("match_note").fill_null("").str.strip_chars().eq("")
    )
    for row in bad.iter_rows(named=True):
        problems.append(
            f"crosswalk_projects.csv : édition « {row['edition']} », projet « {row['project_name']} » : "
            "edition doit être AAAA-MM, project_id un identifiant ASCII en minuscules séparé par des tirets "
            "et match_note renseignée."
        )
    return problems
