"""Amounts in Vietnamese words, for contracts and statements.

Pure Python: imports nothing from odoo. ``res.currency.amount_to_text`` gives
"Dong" in Title Case through num2words, which is not what a Vietnamese
contract prints, hence this module.
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUP_UNITS = ("", "nghìn", "triệu")
BILLION = 1_000_000_000


def _read_triple(number, full):
    """Words of 0 < ``number`` < 1000; ``full`` reads "không trăm"/"linh" in a middle group."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    words += ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _read_below_billion(number, full):
    """Words of 0 < ``number`` < 10**9; ``full`` when a higher part was already read."""
    words = []
    for power in (2, 1, 0):
        group = number // 1000 ** power % 1000
        if not group:
            continue
        words += _read_triple(group, full)
        if GROUP_UNITS[power]:
            words.append(GROUP_UNITS[power])
        full = True
    return words


def _read_number(number, full=False):
    if number >= BILLION:
        billions, rest = divmod(number, BILLION)
        words = _read_number(billions, full) + ["tỷ"]
        if rest:
            words += _read_below_billion(rest, True)
        return words
    return _read_below_billion(number, full)


def number_to_words(number):
    """Lower-case Vietnamese words of a whole number: 21 → "hai mươi mốt"."""
    number = int(number)
    if number == 0:
        return DIGITS[0]
    if number < 0:
        return "âm " + number_to_words(-number)
    return " ".join(_read_number(number))


def amount_to_words(amount, currency_word="đồng"):
    """A VND amount as written on a contract: 1_500_000_000 → "Một tỷ năm trăm triệu đồng".

    ``amount`` is rounded to whole đồng first (half up), as every amount of the suite is.
    """
    whole = int(amount + 0.5) if amount >= 0 else -int(-amount + 0.5)
    text = f"{number_to_words(whole)} {currency_word}".strip()
    return text[0].upper() + text[1:]
