"""pyproject.toml declares what the code uses: every runtime dependency is used by the package,
and what only the tests use sits in the `test` extra."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# httpcore (under httpx) picks sniffio up when it is installed; we never import it ourselves.
USED_INDIRECTLY = {"sniffio"}


def dist_name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def modules_of(dist: str) -> set[str]:
    """The top-level modules an installed distribution provides."""
    return {
        module
        for module, dists in packages_distributions().items()
        if dist in {d.lower().replace("_", "-") for d in dists}
    }


def package_source() -> str:
    return "\n".join(p.read_text() for top in ("services", "validators") for p in (ROOT / top).rglob("*.py"))


def test_every_runtime_dependency_is_used_by_the_package():
    # Imported, run as `python -m <module>` (uvicorn) or read as package data (fastapi_offline).
    source = package_source()
    unused = [
        req
        for req in PROJECT["dependencies"]
        if dist_name(req) not in USED_INDIRECTLY
        and not any(re.search(rf"\b{m}\b", source) for m in modules_of(dist_name(req)))
    ]
    assert not unused, f"declared but never used by services/ or validators/: {unused}"


def test_modules_only_the_tests_use_are_not_runtime_dependencies():
    runtime = {dist_name(r) for r in PROJECT["dependencies"]}
    test_extra = {dist_name(r) for r in PROJECT["optional-dependencies"]["test"]}
    assert "pyyaml" in test_extra and "pyyaml" not in runtime
    assert not re.search(r"^\s*(import|from)\s+yaml\b", package_source(), re.M)
