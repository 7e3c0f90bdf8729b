"""The fonts figures are drawn with: Japanese from a font dlx depends on, so no system font is needed.

``matplotlib-fontja`` (a dependency) ships IPAexGothic, a Japanese font with
kana, kanji, Latin letters and the JIS symbols, as one 6 MB file. dlx registers
that file with matplotlib and draws with a family list, so each character comes
from the first font that has it (matplotlib's font fallback):

* ``ja``: IPAexGothic, then DejaVu Sans (matplotlib's own, for symbols IPAex lacks);
* ``en``: DejaVu Sans, then IPAexGothic (the Japanese tokens of an en–ja figure).

The package is never imported: importing it would switch every later figure
of the process to its font. Only its font file is read.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

FONT_PACKAGE = "matplotlib_fontja"
FONT_FILE = "ipaexg.ttf"
JAPANESE_FAMILY = "IPAexGothic"
LATIN_FAMILY = "DejaVu Sans"

_registered: bool | None = None


def font_file() -> Path | None:
    """The Japanese font's file, from the installed package (``None`` where the package is missing)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "fonts" / FONT_FILE
        if path.is_file():
            return path
    return None


def register() -> bool:
    """Add the Japanese font to matplotlib's font list (once); whether it is there."""
    global _registered
    if _registered is None:
        from matplotlib import font_manager

        path = font_file()
        if path is not None:
            font_manager.fontManager.addfont(str(path))
        _registered = path is not None
    return _registered


def families(lang: str) -> list[str]:
    """The family list for figures in ``lang``: the script of the language first, the other as fallback."""
    if not register():
        return [LATIN_FAMILY]
    return [JAPANESE_FAMILY, LATIN_FAMILY] if lang == "ja" else [LATIN_FAMILY, JAPANESE_FAMILY]


def apply(lang: str) -> dict:
    """Draw the figures made from now on with ``families(lang)``; returns the settings it replaced (for ``restore``)."""
    import matplotlib

    previous = {"font.family": list(matplotlib.rcParams["font.family"])}
    matplotlib.rcParams["font.family"] = families(lang)
    return previous


def restore(previous: dict) -> None:
    import matplotlib

    for key, value in previous.items():
        matplotlib.rcParams[key] = value


def covers(text: str, lang: str = "en") -> bool:
    """Whether the fonts of ``families(lang)`` together have a glyph for every character of ``text``."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    needed = {ord(c) for c in text if not c.isspace()}
    for family in families(lang):
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        needed -= set(FT2Font(path).get_charmap())
        if not needed:
            return True
    return not needed
