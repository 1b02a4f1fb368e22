"""The README's sync client example runs as written, against the fault server."""

from __future__ import annotations

import re

import pytest

from fault_server.testing import RunningServer

from .conftest import ROOT

pytestmark = pytest.mark.integration


def _example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Blocking clients", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert match, "no python block under 'Blocking clients'"
    return match.group(1)


def test_the_readme_example_runs(
    stamping_server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _example()
    assert "http://localhost:8053" in source
    namespace: dict[str, object] = {}
    # the README's own example, run as a user would
    exec(
        compile(
            source.replace("http://localhost:8053", stamping_server.base_url), "README", "exec"
        ),
        namespace,
    )
    printed = capsys.readouterr().out.splitlines()
    status, correlation_id = printed[0].split()
    assert status == "404" and correlation_id
    assert printed[1].split() == ["200", "True", "6"]  # six calls, health included
    stamping_server.stats.wait_idle()
    assert "3f0c-42" in stamping_server.stats.correlation_ids
