"""The import rule of docs/architecture.md: imports only run down the layers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAINS = ("identity", "billing", "reporting", "integrity", "ops")
LAYERS = {"api": 3, **dict.fromkeys(DOMAINS, 2), "couch": 1, "core": 1, "errors": 1, "validators": 0}


def layer_of(module: str) -> str | None:
    """The layer a `shopbill.*` module belongs to, or None for the package roots."""
    parts = module.split(".")
    if parts[:2] == ["shopbill", "validators"]:
        return "validators"
    if parts[:2] == ["shopbill", "services"] and len(parts) > 2:
        return parts[2]
    return None


def source_files() -> list[tuple[str, Path]]:
    """(module name, path) of every Python file of the package."""
    found = []
    for folder, package in (("services", "shopbill.services"), ("validators", "shopbill.validators")):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            found.append((".".join([package, *rel.parts]).removesuffix(".__init__"), path))
    return found


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n.startswith("shopbill.")}


def test_every_services_module_lives_in_a_known_layer():
    stray = [m for m, _ in source_files() if layer_of(m) not in (*LAYERS, None) and m != "shopbill.services.__main__"]
    assert not stray, f"modules outside the layers of docs/architecture.md: {stray}"


def test_imports_only_run_down_the_layers():
    upward = []
    for module, path in source_files():
        own = layer_of(module)
        if own is None:
            continue
        for target in imported(path):
            other = layer_of(target)
            if other in LAYERS and LAYERS[other] > LAYERS[own]:
                upward.append(f"{module} imports {target}")
    assert not upward, "\n".join(upward)
