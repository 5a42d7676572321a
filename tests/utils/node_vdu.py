"""Run a JavaScript validate_doc_update under node on many (newDoc, oldDoc) pairs at once."""

from __future__ import annotations

import json
import subprocess
from typing import Any

HARNESS = r"""
const fs = require('fs');
const [source, pairs] = JSON.parse(fs.readFileSync(0, 'utf8'));
const vdu = eval('(' + source + ')');
console.log(JSON.stringify(pairs.map(([newDoc, oldDoc]) => {
  try { vdu(newDoc, oldDoc, {name: 'u', roles: []}, {}); return true; }
  catch (e) { if (e && e.forbidden) return false; throw e; }
})));
"""


def js_verdicts(source: str, pairs: list[tuple[Any, Any]]) -> list[bool]:
    """True (accepted) / False (forbidden) per pair; any other exception fails loudly."""
    out = subprocess.run(
        ["node", "-e", HARNESS],
        input=json.dumps([source, pairs]),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)
