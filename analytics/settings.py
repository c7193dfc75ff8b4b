"""Settings read from the `PANORAMA_*` environment, built once per state of that environment.

Building a pydantic-settings model reads and validates the whole process environment: a few milliseconds, and
pages asked for one several times per run (py-spy under the load test). The environment does not change while
a server runs, but tests change it: the cache is keyed on every `PANORAMA_*` variable, so a change is seen.
"""

from __future__ import annotations

import functools
import os
from typing import TypeVar

from pydantic_settings import BaseSettings

S = TypeVar("S", bound=BaseSettings)
ENV_PREFIX = "PANORAMA_"


def from_environment(settings: type[S]) -> S:
    """`settings()` as the current environment gives it; shared, so never to be changed."""
    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith(ENV_PREFIX)))
    return _built(settings, environment)  # type: ignore[return-value]


@functools.lru_cache(maxsize=64)
def _built(settings: type[BaseSettings], environment: tuple[tuple[str, str], ...]) -> BaseSettings:
    return settings()
