"""Token vocabularies with the four special tokens every seq2seq exercise uses (Day3 Section3, Day4 Section5).

Ids 0-3 are fixed: ``<pad>`` (0, so masks are ``ids != 0``), ``<s>`` (1, start
of a decoder input), ``</s>`` (2, end of a target) and ``<unk>`` (3, a token
the vocabulary does not know). Tokens are characters for the ``dates`` set
(``list("2026-11-22")``) and words for ``enja`` (``line.split(" ")``). Pure
Python and numpy.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

import numpy as np

PAD, BOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<s>", "</s>", "<unk>")


class Vocab:
    """A fixed mapping between tokens and integer ids, specials first.

    Args:
        tokens: the ordinary tokens, in id order (duplicates and specials are dropped).
    """

    def __init__(self, tokens: Iterable[str]):
        self.itos: list[str] = list(SPECIALS)
        seen = set(SPECIALS)
        for token in tokens:
            if token not in seen:
                seen.add(token)
                self.itos.append(token)
        self.stoi = {token: i for i, token in enumerate(self.itos)}

    @classmethod
    def from_corpus(cls, sequences: Iterable[Sequence[str]], min_count: int = 1, max_size: int | None = None) -> "Vocab":
        """The tokens of a corpus, most frequent first (ties in order of first appearance).

        Args:
            sequences: token sequences.
            min_count: drop tokens seen fewer times.
            max_size: keep at most this many ordinary tokens.
        """
        counts = Counter(token for seq in sequences for token in seq)
        ranked = [t for t, c in sorted(counts.items(), key=lambda kv: -kv[1]) if c >= min_count]
        return cls(ranked[:max_size] if max_size else ranked)

    def __len__(self) -> int:
        return len(self.itos)

    def __eq__(self, other) -> bool:
        return isinstance(other, Vocab) and self.itos == other.itos

    def __repr__(self) -> str:
        return f"Vocab(size={len(self)})"

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Tokens to ids (unknown tokens to ``UNK``)."""
        return [self.stoi.get(t, UNK) for t in tokens]

    def decode(self, ids: Iterable[int], *, stop_at_eos: bool = True) -> list[str]:
        """Ids to tokens, dropping ``<pad>``/``<s>`` and stopping at the first ``</s>``."""
        out = []
        for i in ids:
            i = int(i)
            if i == EOS and stop_at_eos:
                break
            if i in (PAD, BOS):
                continue
            out.append(self.itos[i] if 0 <= i < len(self.itos) else SPECIALS[UNK])
        return out

    def encode_batch(self, sequences: Sequence[Sequence[str]], length: int | None = None, *,
                     bos: bool = False, eos: bool = False) -> np.ndarray:
        """Many token sequences to one zero-padded int32 array.

        Args:
            sequences: N token sequences.
            length: columns of the result (default: the longest, specials included);
                longer sequences are cut.
            bos: start each row with ``<s>``.
            eos: end each sequence with ``</s>``.

        Returns:
            int32 array ``(N, length)``.
        """
        rows = [([BOS] if bos else []) + self.encode(seq) + ([EOS] if eos else []) for seq in sequences]
        if length is None:
            length = max((len(r) for r in rows), default=0)
        out = np.zeros((len(rows), length), dtype=np.int32)
        for n, row in enumerate(rows):
            row = row[:length]
            out[n, : len(row)] = row
        return out
