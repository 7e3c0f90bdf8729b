"""Corpus BLEU (Papineni et al. 2002): clipped n-gram precisions up to 4 and a brevity penalty.

Used for the en→ja exercises (Day3 Section3, Day4 Section5). Scores are on
the tokens as given (the corpus is already tokenized, so no re-tokenization):
each line is split on whitespace. Counts are summed over the whole corpus
before the precisions are formed, which is what "corpus BLEU" means; a
sentence average would be a different number.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class BleuScore:
    """A corpus BLEU score and its parts.

    Attributes:
        score: BLEU on a 0-100 scale.
        precisions: modified n-gram precisions for n = 1 … max_order, in percent.
        brevity_penalty: ``1`` if the hypotheses are longer than the references, else ``exp(1 - r/c)``.
        hyp_len: total hypothesis tokens ``c``.
        ref_len: total (closest) reference tokens ``r``.
    """

    score: float
    precisions: tuple[float, ...]
    brevity_penalty: float
    hyp_len: int
    ref_len: int

    def __str__(self) -> str:
        ps = "/".join(f"{p:.1f}" for p in self.precisions)
        return f"BLEU = {self.score:.2f} {ps} (BP = {self.brevity_penalty:.3f} hyp_len = {self.hyp_len} ref_len = {self.ref_len})"


def _tokens(line: str | Sequence[str]) -> list[str]:
    return line.split() if isinstance(line, str) else list(line)


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(hypotheses: Sequence[str | Sequence[str]], references: Sequence, max_order: int = 4) -> BleuScore:
    """BLEU of a whole corpus against one or more references per sentence.

    Args:
        hypotheses: N system outputs, each a whitespace-tokenized string or a token list.
        references: N references, each a whitespace-tokenized string, or a list of several
            such strings (then n-gram counts are clipped by the maximum over references and the
            reference length closest to the hypothesis, shorter on ties, is used).
        max_order: longest n-gram (4 for BLEU-4).

    Returns:
        ``BleuScore``; ``score`` is 0 when some order has no match at all (no smoothing).
    """
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} references")
    matches = [0] * max_order
    totals = [0] * max_order
    hyp_len = ref_len = 0
    for hyp, refs in zip(hypotheses, references):
        if isinstance(refs, str):
            refs = [refs]
        ref_tokens = [_tokens(r) for r in refs]
        hyp_tokens = _tokens(hyp)
        hyp_len += len(hyp_tokens)
        ref_len += min((len(r) for r in ref_tokens), key=lambda length: (abs(length - len(hyp_tokens)), length))
        for n in range(1, max_order + 1):
            hyp_counts = _ngrams(hyp_tokens, n)
            max_ref = Counter()
            for r in ref_tokens:
                max_ref |= _ngrams(r, n)
            matches[n - 1] += sum(min(count, max_ref[gram]) for gram, count in hyp_counts.items())
            totals[n - 1] += max(len(hyp_tokens) - n + 1, 0)
    precisions = tuple(100.0 * m / t if t else 0.0 for m, t in zip(matches, totals))
    if hyp_len == 0:
        bp = 0.0
    elif hyp_len > ref_len:
        bp = 1.0
    else:
        bp = math.exp(1.0 - ref_len / hyp_len)
    if min(matches) == 0:
        score = 0.0
    else:
        log_mean = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_order
        score = 100.0 * bp * math.exp(log_mean)
    return BleuScore(score, precisions, bp, hyp_len, ref_len)
