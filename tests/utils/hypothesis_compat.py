"""Let hypothesis-jsonschema 0.23.1 run on current Hypothesis.

hypothesis-jsonschema drives Hypothesis' private `cu.many` with the old `while elements.more():`
protocol; Hypothesis 6.15x+ replaced it with `with many(...) as e: for _ in e:`. This adapter
offers the old protocol on top of the new one. Remove it when hypothesis-jsonschema catches up.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import hypothesis_jsonschema._from_schema as _from_schema
from hypothesis.internal.conjecture import utils as cu


class _OldMany:
    def __init__(self, data: Any, **kwargs: Any) -> None:
        self._many = cu.many(data, **kwargs)
        self._many.__enter__()
        self._elements = iter(self._many)

    def more(self) -> bool:
        try:
            next(self._elements)
            return True
        except StopIteration:
            self._many.__exit__(None, None, None)
            return False

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


def install() -> None:
    """Patch hypothesis-jsonschema's view of `cu` once (idempotent)."""
    if not hasattr(cu.many, "more"):
        _from_schema.cu = SimpleNamespace(**{**vars(cu), "many": _OldMany})
