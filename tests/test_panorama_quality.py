from datetime import date

import polars as pl

from analytics.panorama.quality import edition_inventory, renamed_ministries, renamed_projects

D1, D2 = date(2020, 1, 1), date(2020, 7, 1)


def _projects() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "edition": [D1, D1, D2, D2],
            "project_id": ["a", "b", "a", "b"],
            "project_name": ["ALPHA", "Beta", "Alpha v2", "Beta"],
            "ministry_id": ["m", "m", "m", "m"],
            "ministry_label": ["M", "M", "M", "M"],
            "ministry_name": ["Ministère X", "Ministère X", "Ministère Y", "Ministère Y"],
            "interministerial": [True, False, True, False],
            "cost_meur": [10.0, None, 12.5, 3.0],
            "duration_years": [2.0, None, 2.5, 1.0],
            "withheld_reason": [None, "non publié", None, None],
            "cost_definition": ["Coût estimé", "Coût estimé", "Coût complet estimé", "Coût complet estimé"],
        }
    )


def test_inventory_counts_withheld_and_joins_official_figures():
    headlines = pl.DataFrame({"edition": [D1], "projects": [3], "total_cost_meur": [11.0]})
    inventory = edition_inventory(_projects(), headlines)
    assert inventory.select("edition", "projects", "total_cost_meur", "withheld_cost", "withheld_sentence").rows() == [
        (D1, 2, 10.0, 1, 1),
        (D2, 2, 15.5, 0, 0),
    ]
    assert inventory.get_column("official_projects").to_list() == [3, None]
    assert inventory.get_column("interministerial").to_list() == [1, 1]


def test_renames_list_each_name_once_in_edition_order():
    projects = renamed_projects(_projects())
    assert projects.select("project_id", "names").rows() == [("a", ["ALPHA", "Alpha v2"])]
    ministries = renamed_ministries(_projects())
    assert ministries.get_column("names").to_list() == [["Ministère X", "Ministère Y"]]
