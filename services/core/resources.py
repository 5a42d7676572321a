"""The files the services read at run time, found as package data of `shopbill`.

They ship inside the package (pyproject.toml, [tool.setuptools.package-data]): the generated
design docs and indexes (`shopbill.design_docs`, written by `make generate`), the built shop app
and the printable invoice page (`shopbill.app`, from app/dist and app/print). Going through
`importlib.resources` rather than paths next to this file means a wheel installed anywhere and a
source checkout (editable install) find the same files.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from shopbill.services.errors import PackageDataMissing

DESIGN_DOCS_PACKAGE = "shopbill.design_docs"
APP_PACKAGE = "shopbill.app"


def design_doc(name: str) -> Traversable:
    """A generated file of design_docs/ (e.g. `validate_mango.json`, `indexes.json`)."""
    return resources.files(DESIGN_DOCS_PACKAGE).joinpath(name)


def print_page(name: str) -> Traversable:
    """A file of the printable invoice page (app/print: `index.html`, `invoice.js`)."""
    return resources.files(APP_PACKAGE).joinpath("print", name)


def app_build() -> Path | None:
    """The built shop app's folder (app/dist), or None when it was not built.

    Static file serving needs a real folder; pip installs a wheel unpacked, so the package data
    are plain files (a zipped install would have no such folder and is refused here).
    """
    dist = resources.files(APP_PACKAGE).joinpath("dist")
    if not dist.joinpath("index.html").is_file():
        return None
    if not isinstance(dist, Path):
        raise PackageDataMissing(f"{APP_PACKAGE} is not installed as plain files: cannot serve {dist}")
    return dist


def package_folder(package: str) -> Path:
    """Where `package`'s data live on disk: in a source checkout, the folder that
    `make generate` writes into."""
    folder = resources.files(package)
    if not isinstance(folder, Path):
        raise PackageDataMissing(f"{package} is not installed as plain files")
    return folder
