"""The continuity of invoice numbers per series and financial year (GSTR-1's documents-issued
table), as pure arithmetic over counters: the auditor (services/integrity/auditor/series.py) keeps
the counters present per series/FY as sorted disjoint [first, last] ranges and reports from them.

Numbers are read as the schema accepts them (validators/schemas.py INVOICE_NUMBER), wider than
what the numbering makes, so a number from an older or foreign issuer is still counted.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

MAX_LISTED_GAPS = 200
Ranges = list[list[int]]


def series_key(number: Any) -> tuple[str, int] | None:
    """("<series>/<FY>", counter) of an invoice number, or None when it is not one."""
    if not isinstance(number, str) or number.count("/") != 2:
        return None
    series, fy, counter = number.split("/")
    return (f"{series}/{fy}", int(counter)) if counter.isdigit() else None


def add_counters(ranges: Ranges, counters: list[int]) -> Ranges:
    """`ranges` (sorted, disjoint, inclusive) with `counters` added, adjacent ranges joined."""
    merged: Ranges = []
    for first, last in sorted([*map(list, ranges), *([c, c] for c in counters)]):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return merged


def summary(key: str, ranges: Ranges) -> dict[str, Any]:
    """The report entry {series, fy, first, last, count, missing, gaps} of one series/FY."""
    series, fy = key.split("/")
    first, last = ranges[0][0], ranges[-1][1]
    count = sum(b - a + 1 for a, b in ranges)
    gaps: list[int] = []
    for (_, end), (start, _) in pairwise(ranges):
        gaps += range(end + 1, min(start, end + 1 + MAX_LISTED_GAPS - len(gaps)))
        if len(gaps) >= MAX_LISTED_GAPS:
            break
    return {
        "series": series,
        "fy": fy,
        "first": first,
        "last": last,
        "count": count,
        "missing": last - first + 1 - count,
        "gaps": gaps,
    }


def continuity(numbers: list[str]) -> dict[str, dict[str, Any]]:
    """`{"<series>/<FY>": {series, fy, first, last, count, gaps, missing}}` for invoice numbers."""
    counters: dict[str, list[int]] = defaultdict(list)
    for parsed in filter(None, map(series_key, numbers)):
        counters[parsed[0]].append(parsed[1])
    return {key: summary(key, add_counters([], values)) for key, values in sorted(counters.items())}
