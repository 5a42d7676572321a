"""The project's shape: one import root, complete package list, two-command README, CI."""

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_top_level_validators_module_is_installed_by_us(tmp_path):
    # Run outside the repo, so only what is installed in site-packages can be found.
    probe = "import importlib.util as u; s = u.find_spec('validators'); print(s and s.origin)"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "None" or str(ROOT) not in out
    assert importlib.util.find_spec("shopbill.validators").origin.startswith(str(ROOT / "validators"))


def test_pyproject_lists_every_python_package_for_non_editable_installs():
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(tool["packages"])
    found = set()
    for top in ("services", "validators"):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT).parts
            found.add(".".join(("shopbill", *rel)))
    # The package data live in their own two packages (services/core/resources.py).
    assert found | {"shopbill.design_docs", "shopbill.app"} == listed


def test_readme_starts_with_the_two_commands_and_ci_runs_lint_then_the_tests_on_both_engines():
    readme = (ROOT / "README.md").read_text()
    blocks = readme.split("```")
    first_block = [line.strip() for line in blocks[1].splitlines()[1:] if line.strip()]
    assert first_block == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))] == [
        "make lint",
        "make test",
        "make test-couchdb",
    ]


def test_in_a_source_checkout_the_package_data_are_the_folders_the_builds_write():
    # `make generate` and the app build write here; the services read the same files.
    from shopbill.services.core.resources import app_build, design_doc
    from shopbill.validators.generate import DESIGN_DOCS

    assert DESIGN_DOCS == ROOT / "design_docs"
    assert Path(str(design_doc("indexes.json"))) == ROOT / "design_docs" / "indexes.json"
    assert app_build() == ROOT / "app" / "dist"
