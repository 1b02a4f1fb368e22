"""The README's httptools transport example runs as written, against the fault server."""

from __future__ import annotations

import re

import pytest

from fault_server.testing import RunningServer

from .conftest import ROOT

pytestmark = pytest.mark.integration


def _example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split('#### `transport="httptools"`', 1)[1]
    match = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert match, "no python block under the httptools transport heading"
    return match.group(1)


def test_the_httptools_example_runs(
    tree_server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _example()
    assert 'transport="httptools"' in source and "http://127.0.0.1:8058" in source
    # the README's own example, run as a user would
    exec(
        compile(source.replace("http://127.0.0.1:8058", tree_server.base_url), "README", "exec"),
        {"__name__": "readme_example"},
    )
    assert capsys.readouterr().out.strip() == "100 answers over at most 32 connections"
    tree_server.stats.wait_idle()
    assert tree_server.stats.requests == 100
