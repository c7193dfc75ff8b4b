"""The nginx configuration of scripts/serve_multi.py: accepted by nginx itself, sized by the app's upload limit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scripts.serve_multi import DEFAULT_UPLOAD_MIB, max_upload_mib, nginx_binary, nginx_config


def test_upload_limit_follows_the_app_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[theme]\nbase = "light"\n\n[server]\nmaxUploadSize = 7\n', encoding="utf-8")
    assert max_upload_mib(config) == 7
    config.write_text('[theme]\nbase = "light"\n', encoding="utf-8")
    assert max_upload_mib(config) == DEFAULT_UPLOAD_MIB
    assert max_upload_mib(tmp_path / "absent.toml") == DEFAULT_UPLOAD_MIB


@pytest.mark.parametrize("backend_header", [False, True])
def test_generated_config_passes_nginx_own_check(tmp_path: Path, backend_header: bool) -> None:
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip("nginx absent (apt-get install nginx) : configuration non vérifiée.")
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config([18501, 18502], "127.0.0.1:18500", tmp_path, 50, backend_header), encoding="utf-8")
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr
