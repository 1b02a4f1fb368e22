"""The README is the contract with a new user: its commands must be the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)]


def test_readme_opens_with_setup_and_test_commands() -> None:
    blocks = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    setup, test = blocks[0], blocks[1]
    assert "pip install" in setup and "generate-client specs/" in setup
    assert "pytest" in test and "generate-client --check specs/*.yaml" in test


def _ci_lines() -> list[str]:
    return [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))[1]
    assert _ci_lines()[-1] == test_command


def test_ci_runs_the_readme_setup_command_in_a_clone_with_nothing_beside_it() -> None:
    setup_command = _bash_blocks((ROOT / "README.md").read_text(encoding="utf-8"))[0]
    lines = _ci_lines()
    assert setup_command in lines
    clone = next(i for i, line in enumerate(lines) if line.startswith("git clone"))
    assert lines.index('cd "$clone"') > clone  # both commands run inside the fresh clone
    assert lines.index(setup_command) > lines.index('cd "$clone"')
    assert 'clone="$(mktemp -d)/project"' in lines  # an empty folder, nothing beside it


def test_every_committed_spec_has_a_committed_client() -> None:
    specs = sorted(p.stem for p in (ROOT / "specs").glob("*.yaml"))
    assert specs, "no specs committed"
    for stem in specs:
        package = ROOT / "generated" / f"{stem}_client"
        assert (package / "__init__.py").is_file(), f"generated/{stem}_client is missing"
        assert (package / "py.typed").is_file()
