"""Activity codes at the start of activity cells: ``๒.๓.๑``, ``(๑)``, ``๑)``, ``๑``.

Codes are returned in Arabic digits. Dotted codes have at most 3 levels of 1-2 digit numbers; a bare
integer code (``๑ การวางแผน…``) must be followed by whitespace and must not be followed by a unit word
(``๑๐ ครั้ง``), a percent sign, or more digits; 3+ digit numbers (``๒๕๖๖ …``) are never codes.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from .digits import thai_to_arabic
from .numbers import KNOWN_UNITS
from .text import levenshtein

__all__ = ["split_activity_code", "parent_code", "code_depth", "is_sub_item_code"]

_N = r"[0-9]{1,2}"
_PAREN = re.compile(rf"^\s*\(\s*({_N})\s*\)\s*")
_CLOSE = re.compile(rf"^\s*({_N})\s*\)\s*")
_DOTTED = re.compile(rf"^\s*({_N}(?:\s?\.\s?{_N}){{1,2}})(?!\s?\.\s?[0-9])\s?\.?(?![0-9])\s*")
_BARE = re.compile(rf"^\s*({_N})(?:\s*\.(?![0-9])\s*|\s+)")
_UNIT_WORDS = KNOWN_UNITS - {"โครงการ", "สหกรณ์", "แผน", "กิจกรรม", "กลุ่ม"}


def split_activity_code(text: str) -> tuple[str, str]:
    """Split an activity cell into ``(code, rest)``; code in Arabic digits, ``""`` when there is none.

    ``๒.๓.๑ วิทยากร…`` -> ``("2.3.1", "วิทยากร…")``; ``(๑) สหกรณ์…`` -> ``("(1)", "สหกรณ์…")``;
    ``๑) …`` -> ``("1)", "…")``; ``๑ การวางแผน…`` / ``๑. การวางแผน…`` -> ``("1", "การวางแผน…")``.
    The rest keeps its original digits (Thai stays Thai).
    """
    if not text:
        return "", text or ""
    t = thai_to_arabic(text)  # one-to-one: indices valid in ``text``
    m = _PAREN.match(t)
    if m:
        return f"({int(m.group(1))})", text[m.end():].strip()
    m = _CLOSE.match(t)
    if m:
        return f"{int(m.group(1))})", text[m.end():].strip()
    m = _DOTTED.match(t)
    if m:
        parts = re.split(r"\s?\.\s?", m.group(1))
        return ".".join(str(int(p)) for p in parts), text[m.end():].strip()
    m = _BARE.match(t)
    if m:
        rest = text[m.end():].strip()
        first = re.split(r"[\s/]", rest, maxsplit=1)[0] if rest else ""
        if not rest or first in _UNIT_WORDS or rest[0] in "%,/" or rest[0].isdigit():
            return "", text.strip()
        if any(first.startswith(u) and len(first) <= len(u) + 1 for u in _UNIT_WORDS):
            return "", text.strip()
        return str(int(m.group(1))), rest
    return "", text.strip()


_CODE_INSIDE = re.compile(r"(?:^|\s)(\([0-9]{1,2}\)|[0-9]{1,2}(?:\.[0-9]{1,2}){1,2})\s")


def _short_tokens_only(text: str) -> bool:
    """A few short tokens and no word: what Tesseract makes of marks or specks (``ข ข ส4เ a ส``)."""
    toks = text.split()
    return 0 < len(toks) <= 6 and all(len(t) <= 4 for t in toks)


def split_code_after_debris(text: str) -> tuple[str, str]:
    """Like `split_activity_code`, also finding a dotted or parenthesised code that OCR debris (marks
    read as ``ข ข ส4เ a ส``) precedes within the first 30 characters; the debris is dropped."""
    code, rest = split_activity_code(text)
    if not text or (code and ("." in code or code.endswith(")"))):
        return code, rest
    t = thai_to_arabic(text[:40])
    m = _CODE_INSIDE.search(t)
    if m and 0 < m.start(1) <= 30 and _short_tokens_only(text[:m.start(1)]):
        return split_activity_code(text[m.start(1):])
    return code, rest


def is_sub_item_code(code: str) -> bool:
    """True for ``(1)`` / ``1)`` style codes (sub-items numbered inside a dotted item)."""
    return code.endswith(")")


def parent_code(code: str, previous_codes: Iterable[str] = ()) -> str:
    """The parent of a code: ``2.3.1`` -> ``2.3``; ``2`` -> ``""``; ``(1)``/``1)`` -> the closest
    preceding dotted or bare code in ``previous_codes`` (in document order), ``""`` if none."""
    if not code:
        return ""
    if is_sub_item_code(code):
        for prev in reversed(list(previous_codes)):
            if prev and not is_sub_item_code(prev):
                return prev
        return ""
    return code.rsplit(".", 1)[0] if "." in code else ""


def code_depth(code: str, parent: str = "") -> int:
    """Nesting depth: ``""`` -> 0, ``1`` -> 1, ``2.3`` -> 2, ``2.3.1`` -> 3. A sub-item code
    (``(1)``, ``1)``) is one deeper than ``parent`` when given, else 4 (below the deepest dotted level)."""
    if not code:
        return 0
    if is_sub_item_code(code):
        return code_depth(parent) + 1 if parent else 4
    return code.count(".") + 1


# ------------------------------------------------------------------------------- sequence repair

def _shape(code: str) -> str:
    if not code:
        return ""
    if is_sub_item_code(code):
        return "paren" if code.startswith("(") else "close"
    return f"dot{code.count('.') + 1}"


def _digits(code: str) -> str:
    return re.sub(r"[^0-9]", "", code)


def _valid(code: str) -> bool:
    """No component is 0 (numbering starts at 1)."""
    return all(p not in ("0", "00") and not p.startswith("0") for p in re.findall(r"[0-9]+", code))


def _parts(code: str) -> list[int]:
    return [int(p) for p in code.split(".")]


def can_follow(history: list[str], code: str, slack: int = 0) -> bool:
    """Whether ``code`` may come next after ``history`` (codes so far in document order, empties
    skipped). Sub-items count ``(1)``, ``(2)``... and restart at ``(1)`` under each dotted code; a dotted
    code is a descendant of the last dotted code (``4.3`` -> ``4.3.3``) or the next sibling at some level
    (``2.2`` -> ``2.3``, ``3``, ``3.1``). ``slack`` rows whose codes could not be read came in between,
    so a count may also jump by up to that many. An empty history allows anything."""
    if not history:
        return True
    if not code or not _valid(code):
        return False
    last = history[-1]
    if is_sub_item_code(code):
        n = int(_digits(code))
        if is_sub_item_code(last):
            return 0 < n - int(_digits(last)) <= 1 + slack or (slack > 0 and n == 1)
        return 1 <= n <= 1 + slack
    dotted = next((c for c in reversed(history) if c and not is_sub_item_code(c)), "")
    if not dotted:
        return True
    c, d = _parts(code), _parts(dotted)
    heading = _heading(history)
    if heading is not None and len(c) >= 2 and len(d) >= 1 and c[0] != heading:
        return False    # under heading ``4`` (a row of this table), items are ``4.x``
    if len(c) > len(d) and c[:len(d)] == d:
        return True
    for k in range(min(len(c), len(d))):
        if c[:k] == d[:k] and 0 < c[k] - d[k] <= 1 + slack:
            return True
    return False


def _heading(history: list[str]) -> Optional[int]:
    """The number of the last heading row (a bare code ``4``) in ``history``, if any."""
    for c in reversed(history):
        if c and not is_sub_item_code(c) and "." not in c:
            return int(c)
    return None


def _under_heading(code: str, heading: Optional[int]) -> Optional[str]:
    """``code`` with its first number made the heading's (``5.1`` under heading ``4``: ``4.1``), or None when
    it is no dotted code or already under it."""
    head, dot, rest = code.partition(".")
    if heading is None or not dot or not head.isdigit() or int(head) == heading:
        return None
    return f"{heading}.{rest}"


def _candidates(history: list[str], nxt: str) -> list[str]:
    """A finite set of codes that can follow ``history`` (or precede ``nxt`` when there is none)."""
    if not history:
        return sorted(predecessors(nxt))
    out: set[str] = {"(1)"}
    last = history[-1]
    if is_sub_item_code(last):
        out.add(f"({int(_digits(last)) + 1})" if last.startswith("(") else f"{int(_digits(last)) + 1})")
    dotted = next((c for c in reversed(history) if c and not is_sub_item_code(c)), "")
    if dotted:
        d = _parts(dotted)
        if len(d) < 3:
            out.update(".".join(map(str, d + [n])) for n in range(1, 10))
        for k in range(len(d)):
            sib = d[:k] + [d[k] + 1]
            out.add(".".join(map(str, sib)))
            if len(sib) < 3:
                out.add(".".join(map(str, sib + [1])))
    return sorted(x for x in out if can_follow(history, x))


def predecessors(code: str) -> set[str]:
    """Codes that may come just before ``code`` when nothing earlier is known (start of a table)."""
    if not code:
        return set()
    if is_sub_item_code(code):
        n = int(_digits(code) or 0)
        return {f"({n - 1})" if code.startswith("(") else f"{n - 1})"} if n > 1 else set()
    parts = [int(p) for p in code.split(".")]
    if parts[-1] > 1:
        return {".".join(map(str, parts[:-1] + [parts[-1] - 1]))}
    return set()


def _one_digit_less(code: str) -> list[str]:
    """Valid codes of the same shape with one digit of a two-digit number dropped: ``3.10`` -> ``3.1``."""
    out = []
    for m in re.finditer(r"[0-9]{2}", code):
        for k in (m.start(), m.start() + 1):
            v = code[:k] + code[k + 1:]
            if _valid(v) and v not in out:
                out.append(v)
    return out


def _head(code: str) -> str:
    """All but the last number of a code: ``4.2.3`` -> ``4.2``; ``(5)`` -> ``""``."""
    return code.rsplit(".", 1)[0] if "." in code else ""


def _heading_from_items(codes: list[str], i: int, history: list[str], slack: int) -> str:
    """The heading row ``codes[i]`` (a bare number), or the number its items agree on when they all
    disagree with it: ``1`` over ``2.1``, ``2.1.2`` then heading ``3`` is ``2`` (one misread heading rather
    than every item under it). Needs two items, or one item and a next heading that follows it."""
    code = codes[i]
    items: list[str] = []
    nxt_heading = ""
    for c in codes[i + 1:]:
        if not c or is_sub_item_code(c):
            continue
        if "." not in c:
            nxt_heading = c
            break
        items.append(c)
    heads = {c.split(".", 1)[0] for c in items}
    if len(heads) != 1:
        return code
    m = heads.pop()
    if not m.isdigit() or m == code or int(m) == 0:
        return code
    if len(items) < 2 and not (nxt_heading.isdigit() and int(nxt_heading) == int(m) + 1):
        return code
    if history and not can_follow(history, m, slack):
        return code
    return m


def repair_code_sequence(codes: list[str], garbled: list[bool] | None = None,
                         alternatives: list[list[str]] | None = None, keep: list[bool] | None = None) -> list[str]:
    """Correct misread activity codes from their order. Codes in a plan table number their rows in
    sequence (``2.1``, ``2.2``, ``(1)``, ``(2)``...). A code that cannot follow the codes before it (see
    :func:`can_follow`), or has a 0 component, is replaced by the one candidate that can follow them
    and that the next code can follow; failing that, by the one candidate of the same shape whose digits
    differ from the code's only in the last number (``1.5`` -> ``1.4`` after ``1.3``), or the one
    candidate with the same digits (``22`` -> ``2.2``). Otherwise the code is kept, and not used as
    context for the codes after it. Under a heading row (``4``) an item's first number is the heading's
    (``5.1`` -> ``4.1``). A code that can follow but that the next code cannot follow loses a digit when
    exactly that makes both fit (``3.10``, ``3.2`` -> ``3.1``: a speck after the code). The first code is
    checked against the second. ``garbled[i]`` marks an empty
    code whose cell begins with a code-like token that could not be read (``(@)``): it is filled only
    from the first rule. Other empty codes stay empty. ``alternatives[i]`` are other readings of code i
    (``๔ ๓ ปรับปรุง…`` is ``4`` or, with the dot lost, ``4.3``), taken when the code itself cannot follow
    and an alternative can; an empty code with alternatives is filled only from them. ``keep[i]`` marks a
    code read alike by two readers: kept as it is, and the context for the codes after it. Returns the new
    list."""
    out = list(codes)
    garbled = garbled or [False] * len(codes)
    keep = keep or [False] * len(codes)
    # the first code has nothing before it: check it against the second (``3.10``, ``3.2`` -> ``3.1``)
    firsts = [k for k, c in enumerate(out) if c][:2]
    if len(firsts) == 2 and not keep[firsts[0]]:
        c0, c1 = out[firsts[0]], out[firsts[1]]
        if not can_follow([c0], c1) or not _valid(c0):
            pred = sorted(predecessors(c1))
            if len(pred) == 1 and _shape(pred[0]) == _shape(c0) and levenshtein(_digits(pred[0]), _digits(c0)) <= 1:
                out[firsts[0]] = pred[0]
    history: list[str] = []
    slack = 0
    for i, code in enumerate(out):
        if not code and not garbled[i] and not (alternatives and alternatives[i]):
            continue
        if code and keep[i]:
            history.append(code)
            slack = 0
            continue
        if code and code.isdigit():
            code = out[i] = _heading_from_items(out, i, history, slack)
        if code and _valid(code) and can_follow(history, code, slack):
            nxt = next((c for c in out[i + 1:] if c), "")
            if nxt and not can_follow(history + [code], nxt):   # ``3.10`` then ``3.2``: a speck made ``3.1`` ``3.10``
                short = [v for v in _one_digit_less(code)
                         if can_follow(history, v, slack) and can_follow(history + [v], nxt)]
                if len(short) == 1:
                    out[i] = code = short[0]
            history.append(code)
            slack = 0
            continue
        heading = _heading(history)
        alts = list(alternatives[i]) if alternatives else []
        alts += [x for x in (_under_heading(a, heading) for a in alts) if x]   # ``๕๒`` under ``4``: ``4.2``
        alt = next((a for a in alts if can_follow(history, a, slack)), "")
        if alt:
            out[i] = alt
            history.append(alt)
            slack = 0
            continue
        if not code and not garbled[i]:   # an empty code whose alternatives do not fit stays empty
            continue
        nxt = next((c for c in out[i + 1:] if c), "")
        cands = _candidates(history, nxt)
        both = [x for x in cands if nxt and can_follow(history + [x], nxt)] if history else cands
        choice = ""
        x = _under_heading(code, heading)   # ``5.1`` under heading ``4``: ``4.1``
        if x and can_follow(history, x, slack):
            both, cands = [x], [x]
        if len(both) > 1 and history and nxt:   # between two codes of one depth: a third of that depth
            depth = _shape(nxt)
            level = [x for x in both if _shape(x) == depth == _shape(history[-1])]
            both = level if len(level) == 1 else both
        if (len(both) > 1 and history and _shape(history[-1]) == "dot1"
                and not any(_shape(x) == _shape(code) for x in both)):
            # a code unreadable in shape right under its heading: the heading's first child
            first = [x for x in both if x == history[-1] + ".1"]
            both = first or both
        if len(both) == 1 and (nxt or not history):
            choice = both[0]
        elif not code:   # a garbled sub-item code ``(@)`` at the end: the next sub-item, if that is all
            paren = [x for x in (both if nxt else cands) if x.startswith("(")]
            choice = paren[0] if len(paren) == 1 else ""
        elif code:
            pool = both or cands
            dots_lost = [x for x in pool if _digits(x) == _digits(code)]   # ``22`` for ``2.2``
            same = sorted((levenshtein(_digits(x), _digits(code)), x) for x in pool
                          if _shape(x) == _shape(code) and _head(x) == _head(code))
            if len(dots_lost) == 1:
                choice = dots_lost[0]
            elif same and same[0][0] <= 1 and (len(same) == 1 or same[0][0] < same[1][0]):
                choice = same[0][1]
        if choice and (code or garbled[i]):
            out[i] = choice
            history.append(choice)
            slack = 0
        else:   # a code that fits nowhere is not trusted as context for the next ones
            slack += 1
    return out
