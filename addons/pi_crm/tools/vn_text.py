"""Vietnamese text helpers. Pure Python: imports nothing from odoo."""

import unicodedata

# đ/Đ are letters of their own, not a d with a combining mark, so NFD keeps them.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text):
    """Vietnamese text without accents, for SMS sent in plain GSM characters.

    "Chúc mừng sinh nhật" → "Chuc mung sinh nhat"; đ → d, Đ → D.
    """
    if not text:
        return text or ""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return unicodedata.normalize("NFC", stripped)
