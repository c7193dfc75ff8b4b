"""Every test runs against an empty edition store of its own session, never the developer's `data/store/`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def isolated_edition_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    patch = pytest.MonkeyPatch()
    patch.setenv("PANORAMA_STORE_DIR", str(tmp_path_factory.mktemp("edition-store")))
    yield
    patch.undo()
