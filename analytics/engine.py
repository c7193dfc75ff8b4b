"""The polars engine for queries over frames already held in memory.

Polars 2 runs `collect()` on its streaming engine by default, which is built for data larger than memory and
pays a set-up cost per query. The panorama's frames are in memory and small (a few hundred thousand rows at
most): on them the in-memory engine was faster for every page query, 1.2× to 2.5× (side by side in one process,
see benchmarks/README.md). Scans of national DECP files keep the default engine.
"""

from __future__ import annotations

from typing import Final, Literal

IN_MEMORY: Final[Literal["in-memory"]] = "in-memory"
