"""Translation: the Transformer (Day4 Section5) and the enja lab of seq2seq (Day3 Section5).

- ``config``: ``day4.transformer``'s parameters and budgets, ``TransformerSettings``, what a resumed enja run keeps.
- ``loops``: the one Transformer builder, its compile step, training on arrays, decoding, dev BLEU per epoch.
- ``report``: accuracy and BLEU metrics, training speed against the matmul peak, tables and figures (through ``ctx``).
"""
