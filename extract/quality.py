"""Is a PDF's Thai text layer real text? Judged by the share of its Thai words found in a dictionary."""
from __future__ import annotations

import re
from functools import lru_cache

_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


def thai_word_share(text: str) -> float:
    """Share of Thai characters that fall in dictionary words of 2+ characters (newmm tokenization)."""
    from pythainlp.tokenize import word_tokenize

    words = _words()
    total = good = 0
    for run in _THAI_RUN.findall(text):
        for tok in word_tokenize(run, engine="newmm", keep_whitespace=False):
            total += len(tok)
            if len(tok) >= 2 and tok in words:
                good += len(tok)
    return good / total if total else 1.0
