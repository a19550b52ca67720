"""Thai text clean-up and dictionary-based OCR correction.

:func:`clean_thai` repairs *encoding-level* damage only (it never changes letters):

* zero-width characters (U+200B-U+200D, U+FEFF, soft hyphen) are removed;
* whitespace runs (tabs, newlines, NBSP) become one space; the result is stripped;
* spaces Tesseract inserts *inside* Thai words are removed - a space between two Thai characters is
  dropped when the character after it cannot begin a syllable (a combining mark: ั ิ ี ึ ื ุ ู ฺ ็ ่ ้ ๊ ๋ ์ ํ ๎,
  or a following vowel ะ า ำ ๅ) or the character before it is a leading vowel (เ แ โ ใ ไ). Every other
  space is kept: spaces between Thai words are real separators in these forms, and spaces between Thai and
  digits/Latin are kept too;
* sara am written as nikhahit + sara aa (U+0E4D U+0E32) becomes U+0E33, also with a tone mark between
  (``ํ่า`` -> ``่ำ``);
* :func:`pythainlp.util.normalize` then fixes misordered tone marks/vowels, doubled marks and ``เ``+``เ``
  -> ``แ``.

:func:`correct_text` fixes misrecognised *letters* word by word against a :class:`Lexicon`
(form vocabulary from ``lexicon.txt`` + :func:`pythainlp.corpus.thai_words`):

* the text is cleaned, then tokenised with newmm (on the lexicon's own dictionary);
* phrases first: a run of 2-4 adjacent Thai tokens whose concatenation is not a word but is close to a
  *form-vocabulary* entry (same distance limits as single words, below) is replaced by it
  (``แนบ|งาน|พื้นฐาน`` -> ``แผนงานพื้นฐาน``, ``ทั้ง|สิน`` -> ``ทั้งสิ้น``); longer windows are tried first;
  guards (see ``_window_fix_ok``): lengths within one character, no whole-token deletions, and when
  every token is already a dictionary word: entry length >= 6 and distance 2 only for a window that
  stands alone (bounded by spaces, punctuation or the ends of the text);
* then single tokens: a Thai token of length >= 3 not in the lexicon is replaced by the lexicon entry at
  the smallest edit distance (Levenshtein on code points) up to 1, or 2 for tokens of length >= 6;
  distance 2 is searched in the form vocabulary only. Among candidates at the smallest distance form
  vocabulary wins over the general dictionary; the correction is made only when exactly one candidate
  remains. Nothing outside the lexicon is ever produced.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

__all__ = ["clean_thai", "Lexicon", "default_lexicon", "correct_text", "levenshtein"]

_ZW_RE = re.compile("[\u200b\u200c\u200d\ufeff\u00ad]")
_WS_RE = re.compile(r"\s+")
_COMBINING = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_FOLLOW_VOWELS = "\u0e30\u0e32\u0e33\u0e45"
_LEADING = "\u0e40-\u0e44"
_THAI = "\u0e01-\u0e4e"  # letters, vowels and marks (not digits)
_SPACE_BEFORE_MARK = re.compile(f"(?<=[{_THAI}]) (?=[{_COMBINING}{_FOLLOW_VOWELS}])")
_SPACE_AFTER_LEADING = re.compile(f"(?<=[{_LEADING}]) (?=[{_THAI}])")
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_SARA_AM2 = re.compile("([\u0e48-\u0e4b])\u0e4d\u0e32")


def clean_thai(s: Optional[str]) -> str:
    """Encoding-level clean-up of OCR'd Thai text (see the module docstring). Never raises."""
    if not s:
        return ""
    from pythainlp.util import normalize

    t = _ZW_RE.sub("", s)
    t = _WS_RE.sub(" ", t).strip()
    t = _SPACE_BEFORE_MARK.sub("", t)
    t = _SPACE_AFTER_LEADING.sub("", t)
    t = _SARA_AM2.sub(lambda m: m.group(1) + "\u0e33", t)
    t = _SARA_AM.sub(lambda m: m.group(1) + "\u0e33", t)
    t = normalize(t)
    return _WS_RE.sub(" ", t).strip()


def levenshtein(a: str, b: str, limit: int = 99) -> int:
    """Levenshtein distance on code points; returns ``limit + 1`` as soon as it must exceed ``limit``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _deletes(w: str, depth: int) -> set[str]:
    """``w`` and every string obtained from it by deleting up to ``depth`` (0-2) characters."""
    n = len(w)
    out = {w}
    if depth >= 1:
        out.update([w[:i] + w[i + 1:] for i in range(n)])
    if depth >= 2:
        out.update([w[:i] + w[i + 1:j] + w[j + 1:] for i in range(n) for j in range(i + 1, n)])
    return out


_ALPHABET = [chr(c) for c in range(0x0E01, 0x0E3B)] + [chr(c) for c in range(0x0E40, 0x0E4F)]
_THAI_TOKEN = re.compile(f"[{_THAI}]+")


_MARKS = re.compile("[\u0e48-\u0e4c]")
_STRAY_DOT = re.compile("(?:(?<=\\s)|^)\\.(?=[\u0e01-\u0e2e\u0e40-\u0e44])")   # ``สนับสนุน .พัฒนา``


def skeleton(word: str) -> str:
    """A word without its tone marks (่ ้ ๊ ๋) and thanthakhat (์) - what survives when OCR drops or swaps them, its most
    common damage to Thai text (``ที่`` -> ``ที``). Vowels are kept: repairing them would turn names
    and rare words into dictionary words (``ศิริพร`` -> ``ศิรพร``)."""
    return _MARKS.sub("", word)


class Lexicon:
    """Known words: the form vocabulary (preferred) plus a general dictionary.

    Candidate search: the form vocabulary is indexed SymSpell-style (all deletions up to 2 characters);
    general words at distance 1 are found by generating the token's distance-1 edits over the Thai
    alphabet and looking them up in a set. Results are cached per token.
    """

    def __init__(self, form_words: Iterable[str], general_words: Iterable[str] = ()) -> None:
        self.form: frozenset[str] = frozenset(w.strip() for w in form_words if w.strip())
        self.words: frozenset[str] = self.form | frozenset(w.strip() for w in general_words if w.strip())
        self._index: dict[str, set[str]] = {}
        for w in self.form:
            for d in _deletes(w, 2):
                self._index.setdefault(d, set()).add(w)
        self._form_lengths = frozenset(len(w) for w in self.form)
        self._cache: dict[tuple[str, int, bool], Optional[str]] = {}
        self._trie = None
        self._skel: Optional[dict[str, list[str]]] = None
        self._lock = threading.Lock()

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)

    @classmethod
    def from_files(cls, *paths: str | Path, include_thai_words: bool = True) -> "Lexicon":
        """Build from text files (one entry per line, ``#`` comments) plus, optionally, thai_words()."""
        form: list[str] = []
        for p in paths:
            for line in Path(p).read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    form.append(line)
        general: Iterable[str] = ()
        if include_thai_words:
            from pythainlp.corpus import thai_words

            general = thai_words()
        return cls(form, general)

    @property
    def trie(self):  # type: ignore[no-untyped-def]
        """pythainlp Trie of all words (built on first use, ~1 s for the default lexicon)."""
        if self._trie is None:
            with self._lock:
                if self._trie is None:
                    from pythainlp.util import dict_trie

                    self._trie = dict_trie(set(self.words))
        return self._trie

    def suggest_marks(self, token: str, form_only: bool = False) -> Optional[str]:
        """The word that ``token`` is with its tone marks repaired: the lexicon words with the same
        skeleton (letters without tone marks, ``หนี่สิน`` ~ ``หนี้สิน``), nearest first; a
        form-vocabulary word wins a tie; None unless exactly one is nearest (at most 2 edits)."""
        if token in self.words or len(token) < 3:
            return None
        if self._skel is None:
            with self._lock:
                if self._skel is None:
                    idx: dict[str, list[str]] = {}
                    for w in self.words:
                        idx.setdefault(skeleton(w), []).append(w)
                    self._skel = idx
        sk = skeleton(token)
        if len(sk) < 2:
            return None
        cands = self._skel.get(sk, [])
        if form_only:
            cands = [w for w in cands if w in self.form]
        if not cands:
            return None
        scored = sorted((levenshtein(token, w, 3), w not in self.form, w) for w in cands)
        best = scored[0]
        if best[0] > 2:
            return None
        tied = [x for x in scored if x[0] == best[0] and x[1] == best[1]]
        return best[2] if len(tied) == 1 else None

    def _form_candidates(self, token: str, maxd: int) -> dict[str, int]:
        found: dict[str, int] = {}
        if not any(len(token) + k in self._form_lengths for k in range(-maxd, maxd + 1)):
            return found
        for d in _deletes(token, maxd):
            for w in self._index.get(d, ()):
                if w not in found:
                    dist = levenshtein(token, w, maxd)
                    if dist <= maxd:
                        found[w] = dist
        return found

    def _general_candidates(self, token: str) -> set[str]:
        out: set[str] = set()
        words = self.words
        n = len(token)
        for i in range(n + 1):
            head, tail = token[:i], token[i:]
            for c in _ALPHABET:
                w = head + c + tail
                if w in words:
                    out.add(w)
                if i < n and c != token[i]:
                    w = head + c + tail[1:]
                    if w in words:
                        out.add(w)
            if i < n:
                w = head + tail[1:]
                if w in words:
                    out.add(w)
        return out

    def suggest(self, token: str, max_distance: Optional[int] = None, form_only: bool = False) -> Optional[str]:
        """The unique best correction of ``token`` or ``None`` (see :func:`correct_text` for the rule).

        ``max_distance`` defaults to 1, or 2 for tokens of length >= 6. Returns ``None`` for a token
        that is already in the lexicon.
        """
        if token in self.words or len(token) < 3 or len(token) > 40:
            return None
        maxd = max_distance if max_distance is not None else (2 if len(token) >= 6 else 1)
        key = (token, maxd, form_only)
        if key in self._cache:
            return self._cache[key]
        form = self._form_candidates(token, maxd)
        cands: dict[str, int] = dict(form)
        if not form_only:
            for w in self._general_candidates(token):
                cands.setdefault(w, 1)
        result: Optional[str] = None
        if cands:
            best = min(cands.values())
            tied = [w for w, d in cands.items() if d == best]
            tied_form = [w for w in tied if w in self.form]
            if tied_form:
                tied = tied_form
            if len(tied) == 1:
                result = tied[0]
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = result
        return result


_DEFAULT: Optional[Lexicon] = None
_DEFAULT_LOCK = threading.Lock()
LEXICON_FILE = Path(__file__).with_name("lexicon.txt")


def default_lexicon() -> Lexicon:
    """The lexicon of ``lexicon.txt`` + thai_words(), built once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Lexicon.from_files(LEXICON_FILE)
    return _DEFAULT


def _is_thai_word(tok: str) -> bool:
    return bool(_THAI_TOKEN.fullmatch(tok))


_COMBINING = frozenset("\u0e31" + "".join(chr(c) for c in range(0x0E34, 0x0E3B)) + "".join(chr(c) for c in range(0x0E47, 0x0E4F)))


def marks_deleted(s: str, fix: str, most: int = 2) -> bool:
    """True when ``fix`` is ``s`` with 1..``most`` combining marks (vowels above/below, tone marks) taken out
    and nothing else changed: specks of a stamp or of dirt read as marks (``สุนับสนุ่น`` -> ``สนับสนุน``)."""
    k = len(s) - len(fix)
    if not 0 < k <= most:
        return False
    i = 0
    for ch in s:
        if i < len(fix) and ch == fix[i]:
            i += 1
        elif ch not in _COMBINING:
            return False
    return i == len(fix)


def _window_fix_ok(window: list[str], joined: str, fix: str, lex: Lexicon, standalone: bool) -> bool:
    """Guards for replacing several tokens by one form-vocabulary entry.

    The lengths may differ by at most one character, and the edit must not be explained by simply
    dropping a whole token (``มี|ความเข้มแข็ง`` is not ``ความเข้มแข็ง``). When every token is itself a
    dictionary word the evidence is weaker: the entry must be at least 6 characters long
    (``และ|นำ`` stays), and a distance-2 fix is made only when the window stands alone - bounded by the
    text's ends, spaces or punctuation (``แนบงาน : …`` -> ``แผนงาน : …``, but
    ``เจ้าหน้าที่งานส่งเสริมสหกรณ์อาวุโส`` is left alone). A fix that only takes out up to two stray marks
    may be two characters shorter.
    """
    if abs(len(fix) - len(joined)) > 1 and not marks_deleted(joined, fix):
        return False
    d = levenshtein(joined, fix)
    for k, tok in enumerate(window):
        rest = "".join(window[:k] + window[k + 1:])
        if len(tok) + levenshtein(rest, fix, d) <= d:
            return False
    if all(t in lex for t in window):
        if len(fix) < 6:
            return False
        if d >= 2 and not standalone:
            return False
    return True


@lru_cache(maxsize=20_000)
def _correct_cached(s: str, lex: Lexicon) -> tuple[str, tuple[str, ...]]:
    from pythainlp.tokenize import word_tokenize

    text = clean_thai(s)
    if not text or not re.search(f"[{_THAI}]", text):
        return text, ()
    dotless = _STRAY_DOT.sub("", text)     # a speck read as a dot before a Thai word
    stray = dotless != text
    text = dotless
    tokens = word_tokenize(text, custom_dict=lex.trie, engine="newmm", keep_whitespace=True)
    out: list[str] = []
    changed = False
    i, n = 0, len(tokens)
    while i < n:
        done = False
        for w in (6, 5, 4, 3, 2):
            if i + w > n:
                continue
            window = tokens[i:i + w]
            if not all(_is_thai_word(t) for t in window):
                continue
            joined = "".join(window)
            if joined in lex or len(joined) < 4:
                continue
            fix = lex.suggest(joined, form_only=True) or lex.suggest_marks(joined)
            standalone = (i == 0 or not _is_thai_word(tokens[i - 1])) and (
                i + w == n or not _is_thai_word(tokens[i + w])
            )
            if fix is not None and _window_fix_ok(window, joined, fix, lex, standalone):
                out.append(fix)
                i += w
                changed = done = True
                break
        if done:
            continue
        tok = tokens[i]
        if _is_thai_word(tok) and len(tok) >= 3 and tok not in lex:
            fix = lex.suggest_marks(tok) or lex.suggest(tok)
            if fix is not None:
                out.append(fix)
                changed = True
                i += 1
                continue
        out.append(tok)
        i += 1
    return "".join(out), (("text_corrected",) if changed or stray else ())


def drop_trailing_debris(s: str, lexicon: Optional[Lexicon] = None, max_len: int = 5) -> str:
    """``s`` without a last space-separated token that is a few Thai letters forming no known word (a stamp
    or signature read as text after a phrase: ``... กลุ่มเกษตรกร โชมย``). For phrases, not names."""
    lex = lexicon or default_lexicon()
    head, sep, last = s.rstrip().rpartition(" ")
    if not sep or not head.strip() or len(last) > max_len or not _is_thai_word(last) or last in lex:
        return s
    return head.rstrip()


def correct_text(s: Optional[str], lexicon: Optional[Lexicon] = None) -> tuple[str, list[str]]:
    """Clean ``s`` and correct OCR-damaged words against ``lexicon`` (default: :func:`default_lexicon`).

    Returns the corrected text and flags (``["text_corrected"]`` when any word changed). Results are
    cached per (text, lexicon).
    """
    if not s:
        return "", []
    lex = lexicon if lexicon is not None else default_lexicon()
    if len(s) > 5000:  # not a cell; correct line by line to bound work
        parts = [correct_text(line, lex) for line in s.splitlines()]
        return " ".join(p[0] for p in parts if p[0]), (["text_corrected"] if any(p[1] for p in parts) else [])
    text, flags = _correct_cached(s, lex)
    return text, list(flags)
