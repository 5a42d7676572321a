"""One error tree: every exception class of the services is in services/errors.py, named in its
docstring's tree under its base, and the API answers the table's errors from ERROR_TABLE."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from shopbill.services import errors
from shopbill.services.api.errors import ERROR_TABLE, SERVER_ERROR, answer_for

SERVICES = Path(errors.__file__).resolve().parent
TREE_LINE = re.compile(r"^(\s*)[*+-] (\w+)")


def classes() -> dict[str, type[BaseException]]:
    return {n: c for n, c in vars(errors).items() if inspect.isclass(c) and c.__module__ == errors.__name__}


def test_no_exception_class_is_declared_outside_the_error_tree() -> None:
    stray = []
    for path in SERVICES.rglob("*.py"):
        if path == SERVICES / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", "").endswith(("Error", "Exception")) for base in node.bases
            ):
                stray.append(f"{path.relative_to(SERVICES)}: {node.name}")
    # ApiError is not an error of the services but the API's answer itself.
    assert stray == ["api/errors.py: ApiError"]


def test_the_docstring_tree_names_every_class_under_its_base() -> None:
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors.__doc__ or "").splitlines():
        match = TREE_LINE.match(line)
        if not match:
            continue
        depth = len(match[1])
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[match[2]] = stack[-1][1] if stack else "Exception"
        stack.append((depth, match[2]))
    declared = classes()
    assert set(parents) - {"ValueError", "RuntimeError"} == set(declared)
    for name, cls in declared.items():
        assert cls.__bases__[0].__name__ == parents[name], name
        assert cls.__doc__, name


def test_every_row_of_the_table_is_an_error_of_the_tree_or_an_outage() -> None:
    tree = set(classes().values())
    assert {cls for cls in ERROR_TABLE if cls.__module__ != "httpx"} <= tree
    assert answer_for(errors.Conflict(409, "conflict", "x")) is SERVER_ERROR
    assert answer_for(errors.CouchError(503, "busy", "x")).status == 503
    assert answer_for(errors.StaleRevision("x")).status == 409
