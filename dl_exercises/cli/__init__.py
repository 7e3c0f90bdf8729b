"""The ``dlx`` command: one module per command; ``render.py`` alone imports rich."""
