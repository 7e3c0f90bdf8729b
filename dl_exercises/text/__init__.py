"""Text helpers for the sequence-to-sequence exercises: vocabularies and corpus BLEU (no TensorFlow)."""

from .bleu import corpus_bleu
from .vocab import BOS, EOS, PAD, UNK, Vocab

__all__ = ["BOS", "EOS", "PAD", "UNK", "Vocab", "corpus_bleu"]
