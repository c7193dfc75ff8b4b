"""Settings are built once per state of the `PANORAMA_*` environment, and a change of it is seen at once."""

from __future__ import annotations

from pathlib import Path

from analytics.decp.readers import DecpSettings
from analytics.settings import from_environment


def test_settings_follow_the_environment_and_are_built_once_per_state(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PANORAMA_DECP_PATH", raising=False)
    unset = from_environment(DecpSettings)
    assert unset.decp_path is None and from_environment(DecpSettings) is unset
    monkeypatch.setenv("PANORAMA_DECP_PATH", str(tmp_path / "decp.parquet"))
    assert from_environment(DecpSettings).decp_path == tmp_path / "decp.parquet"
    monkeypatch.setenv("UNRELATED_VARIABLE", "x")
    assert from_environment(DecpSettings) is from_environment(DecpSettings)
    monkeypatch.delenv("PANORAMA_DECP_PATH")
    assert from_environment(DecpSettings) is unset
