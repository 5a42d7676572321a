"""The regular-expression subset a schema `pattern` may use, and its one portable translation.

A pattern must mean the same in Python `re`, JavaScript `RegExp` and Erlang `re` (PCRE, which
CouchDB's Mango runs on the UTF-8 *bytes* of a string). The subset that guarantees it:

* ASCII literals (letters, digits, printable punctuation); metacharacters escaped with `\\`;
  `\\t`, `\\n`, `\\r`;
* character classes of ASCII literals and ranges, e.g. `[A-Z0-9/]` (no negation, no `\\d`/`\\w`/`\\s`);
* groups `( )` and `(?: )`, alternation `|`, quantifiers `? * + {n} {n,} {n,m}` (greedy only);
* anchors `^` and `$`.

No `.`, no shorthand classes, no back-references, lookarounds, flags or non-ASCII characters:
their meaning differs between the engines (`.` and `\\s` on line terminators and non-ASCII,
bytes vs characters). Every atom of the subset matches one ASCII character, which is one byte in
UTF-8 and one UTF-16 unit, so byte-wise and character-wise matching give the same verdict.

`$` is translated to `(?![\\s\\S])` ("nothing follows"): Python's and PCRE's `$` also match before a
final newline, JavaScript's does not; the translation makes all three refuse `"abc\\n"` for `^abc$`.
The Python checks use the translated pattern too, so Python and the VDU agree.
"""

from __future__ import annotations

import re

END = r"(?![\s\S])"
_META = set("\\^$.|?*+()[]{}/-")
_QUANT = re.compile(r"\{(\d+)(,(\d*))?\}")


class PatternError(ValueError):
    """A pattern uses a construct outside the portable subset."""


def translate_pattern(pattern: str) -> str:
    """Check `pattern` is in the subset and return its portable form (`$` made strict)."""
    if not isinstance(pattern, str):
        raise PatternError("pattern must be a string")
    out: list[str] = []
    i, depth, can_quantify = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if not (" " <= ch <= "~"):
            raise PatternError(f"character {ch!r} at {i}: only printable ASCII is allowed")
        if ch == "\\":
            i, atom = _escape(pattern, i)
            out.append(atom)
            can_quantify = True
            continue
        if ch == "[":
            i, atom = _char_class(pattern, i)
            out.append(atom)
            can_quantify = True
            continue
        if ch == "(":
            if pattern.startswith("(?:", i):
                out.append("(?:")
                i += 3
            elif pattern.startswith("(?", i):
                raise PatternError(f"group syntax at {i}: only ( ) and (?: ) groups are allowed")
            else:
                out.append("(")
                i += 1
            depth += 1
            can_quantify = False
            continue
        if ch == ")":
            if depth == 0:
                raise PatternError(f"unbalanced ')' at {i}")
            depth -= 1
            out.append(")")
            i += 1
            can_quantify = True
            continue
        if ch in "?*+{":
            if not can_quantify:
                raise PatternError(f"quantifier {ch!r} at {i} has nothing to repeat")
            i = _quantifier(pattern, i, out)
            can_quantify = False
            continue
        if ch == "|":
            out.append("|")
            can_quantify = False
        elif ch == "^":
            out.append("^")
            can_quantify = False
        elif ch == "$":
            out.append(END)
            can_quantify = False
        elif ch == ".":
            raise PatternError(f"'.' at {i}: use an explicit character class")
        elif ch in "]}":
            raise PatternError(f"unescaped {ch!r} at {i}")
        else:
            out.append(ch)
            can_quantify = True
        i += 1
    if depth:
        raise PatternError("unbalanced '('")
    return "".join(out)


def _escape(pattern: str, i: int) -> tuple[int, str]:
    if i + 1 >= len(pattern):
        raise PatternError("pattern ends with a lone backslash")
    nxt = pattern[i + 1]
    if nxt not in _META and nxt not in "tnr":
        raise PatternError(f"escape \\{nxt} at {i}: only metacharacters and \\t \\n \\r")
    return i + 2, "\\" + nxt


def _char_class(pattern: str, i: int) -> tuple[int, str]:
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        raise PatternError(f"negated class at {i}: not portable for non-ASCII text")
    members: list[str] = []
    while j < len(pattern) and pattern[j] != "]":
        ch = pattern[j]
        if not (" " <= ch <= "~"):
            raise PatternError(f"character {ch!r} at {j}: only printable ASCII is allowed")
        if ch == "\\":
            j, atom = _escape(pattern, j)
            members.append(atom)
            continue
        if ch == "[":
            raise PatternError(f"'[' inside a class at {j}: escape it")
        members.append(ch)
        j += 1
    if j >= len(pattern):
        raise PatternError(f"unterminated class at {i}")
    if not members:
        raise PatternError(f"empty class at {i}")
    return j + 1, "[" + "".join(members) + "]"


def _quantifier(pattern: str, i: int, out: list[str]) -> int:
    ch = pattern[i]
    if ch == "{":
        m = _QUANT.match(pattern, i)
        if not m:
            raise PatternError(f"malformed {{}} quantifier at {i}")
        low, high = int(m.group(1)), m.group(3)
        if high and int(high) < low:
            raise PatternError(f"quantifier at {i}: max below min")
        if max(low, int(high or 0)) > 1000:
            raise PatternError(f"quantifier at {i}: bounds above 1000")
        out.append(m.group(0))
        i = m.end()
    else:
        out.append(ch)
        i += 1
    if i < len(pattern) and pattern[i] in "?+":
        raise PatternError(f"lazy or possessive quantifier at {i}: greedy only")
    return i


def escape_literal(text: str) -> str:
    """A portable regex matching `text` literally (ASCII only)."""
    if not all(" " <= ch <= "~" for ch in text):
        raise PatternError(f"{text!r}: only printable ASCII literals can be matched exactly")
    return "".join("\\" + ch if ch in _META else ch for ch in text)


def exact_regex(values: list[str]) -> str:
    """A portable regex matching exactly one of `values` (byte-exact, unlike Mango's collation)."""
    return "^(?:" + "|".join(escape_literal(v) for v in values) + ")" + END
