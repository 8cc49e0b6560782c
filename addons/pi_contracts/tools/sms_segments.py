"""How many SMS segments a text takes. Pure Python, no odoo.

A text of GSM 03.38 characters only goes out 7-bit: 160 characters in one SMS,
153 per segment when split (the rest is the concatenation header); the
extension characters (``^{}\\[~]|€``) take two. Any other character (Vietnamese
letters with diacritics, "₫") turns the whole text into UCS-2: 70 in one SMS,
67 per segment, counted in UTF-16 units.
"""

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")
LIMITS = {"gsm": (160, 153), "ucs2": (70, 67)}


def encoding(text):
    """"gsm" when every character is GSM 03.38, else "ucs2"."""
    return "gsm" if all(char in GSM_BASIC or char in GSM_EXTENSION for char in text or "") else "ucs2"


def length(text):
    """The text's length in the units of its encoding."""
    text = text or ""
    if encoding(text) == "gsm":
        return sum(2 if char in GSM_EXTENSION else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text):
    """Number of SMS the text is sent as (0 for an empty text)."""
    size = length(text)
    if not size:
        return 0
    single, part = LIMITS[encoding(text)]
    return 1 if size <= single else -(-size // part)
