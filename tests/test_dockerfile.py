"""The Dockerfile agrees with the package (docker build cannot run here): a Node stage builds the
app, and the Python stage copies every folder pyproject.toml maps into the package, with the built
app where the package data expect it, before installing."""

from __future__ import annotations

import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tests.test_wheel import SOURCES

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


@dataclass
class Stage:
    image: str
    name: str | None
    workdir: str = "/"
    runs: list[str] = field(default_factory=list)
    copies: list[tuple[str | None, str, str]] = field(default_factory=list)  # (from, src, dest)
    order: list[str] = field(default_factory=list)


def stages() -> list[Stage]:
    """The Dockerfile's stages with their RUN commands and COPYs (destinations made absolute)."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    found: list[Stage] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        op, _, rest = line.strip().partition(" ")
        op = op.upper()
        if op == "FROM":
            words = rest.split()
            found.append(Stage(words[0], words[2] if len(words) > 2 else None))
            continue
        stage = found[-1]
        stage.order.append(op)
        if op == "WORKDIR":
            stage.workdir = str(PurePosixPath(stage.workdir, rest.strip()))
        elif op == "RUN":
            stage.runs.append(rest.strip())
        elif op == "COPY":
            words = shlex.split(rest)
            source = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            *srcs, dest = [w for w in words if not w.startswith("--")]
            for src in srcs:  # several sources go into the folder `dest`
                target = PurePosixPath(stage.workdir, dest)
                if len(srcs) > 1:
                    target /= PurePosixPath(src).name
                stage.copies.append((source, src.rstrip("/"), str(target)))
    return found


def test_a_node_stage_builds_the_app_with_everything_it_imports():
    (node,) = [s for s in stages() if s.image.startswith("node:")]
    assert node.name and node.workdir.endswith("/app")
    assert any(r.startswith("npm ci") for r in node.runs) and "npm run build" in node.runs
    copied = {dest for _, _, dest in node.copies}
    assert node.workdir in copied or f"{node.workdir}/" in copied
    # The app imports a few files from outside app/ (`../../x`): each must be in the stage too.
    outside = {
        m
        for ts in (ROOT / "app" / "src").rglob("*.ts")
        for m in re.findall(r"from '\.\./\.\./([^']+)'", ts.read_text())
    }
    assert outside, "expected the app's imports from outside app/"
    root = str(PurePosixPath(node.workdir).parent)
    assert {f"{root}/{rel}" for rel in outside} <= copied


def test_the_python_stage_copies_the_package_folders_and_the_built_app_then_installs():
    node, python = stages()
    assert python.image.startswith("python:") and python.order[-1] != "COPY"
    local = {src: dest for source, src, dest in python.copies if source is None}
    built = [(src, dest) for source, src, dest in python.copies if source == node.name]
    app_folder = SETUPTOOLS["package-dir"]["shopbill.app"]
    # The Node stage's dist/ lands in the folder pyproject.toml maps to shopbill.app, as dist/.
    assert built == [(f"{node.workdir}/dist", f"{python.workdir}/{app_folder}/dist")]
    for package, folder in SETUPTOOLS["package-dir"].items():
        if package != "shopbill.app":
            assert local.get(folder) == f"{python.workdir}/{folder}", folder
    data = SETUPTOOLS["package-data"]["shopbill.app"]
    for sub in {p.split("/")[0] for p in data} - {"dist"}:
        assert local.get(f"{app_folder}/{sub}") == f"{python.workdir}/{app_folder}/{sub}", sub
    assert local.get(f"{app_folder}/__init__.py") == f"{python.workdir}/{app_folder}/__init__.py"
    assert "pyproject.toml" in local
    # The wheel test builds from the same files the image copies.
    assert set(SOURCES) == set(local) | {f"{app_folder}/dist"}
    install = python.order.index("RUN")
    assert python.order[:install].count("COPY") == len(python.copies)
    assert any(r.startswith("pip install") and r.split()[-1] == "." for r in python.runs)


def test_the_build_context_leaves_out_local_installs_and_builds():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"**/node_modules", "app/dist", ".venv"} <= set(ignored)
