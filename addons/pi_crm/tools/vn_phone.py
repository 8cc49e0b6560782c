"""The Vietnamese part of reading a phone number, and E.164 without Odoo.

Models format numbers with stock ``phone_validation`` (``_phone_format``, see
``pi.customer.mixin``); this module only does what stock does not know:

- :func:`prepare` rewrites a mobile number in its pre-2018 11-digit form
  ("0168 123 4567", "+84 168 123 4567") with its current 10-digit prefix
  ("0368 123 4567"); stock reads "84…" without "+", spaces, dots, dashes and
  brackets by itself.
- :func:`normalize_phone` is the same rule for code without an Odoo
  environment (the intake's validation tests); it raises
  :class:`PhoneNumberError` with an error code, and the models turn the code
  into a translated message.

Pure Python: imports ``phonenumbers`` but nothing from odoo.
"""

import re

import phonenumbers

DEFAULT_REGION = "VN"

# Mobile prefixes renumbered in 2018 (Ministry of Information and Communications):
# the old 11-digit numbers "01xx xxx xxxx" became 10-digit ones.
OLD_MOBILE_PREFIXES = {
    "120": "70", "121": "79", "122": "77", "126": "76", "128": "78",  # MobiFone
    "123": "83", "124": "84", "125": "85", "127": "81", "129": "82",  # VinaPhone
    "162": "32", "163": "33", "164": "34", "165": "35", "166": "36", "167": "37", "168": "38", "169": "39",  # Viettel
    "186": "56", "188": "58",  # Vietnamobile
    "199": "59",  # Gmobile
}
# "0168 123 4567", "+84 168 123 4567", "84 (168) 123.4567": the old prefix and 7 digits
_OLD_MOBILE_RE = re.compile(r"^(?:0|\+?84)(1\d\d)(\d{7})$")
_SEPARATORS_RE = re.compile(r"[\s.\-()]")

# Error codes of PhoneNumberError (the models translate them)
EMPTY = "empty"
INVALID = "invalid"


class PhoneNumberError(ValueError):
    """Raised for a number that cannot be a real phone number.

    ``code`` is :data:`EMPTY` or :data:`INVALID`, ``number`` the text as typed;
    ``str(error)`` is an English message for logs, not for users.
    """

    def __init__(self, code, number=""):
        self.code = code
        self.number = number
        super().__init__(f"{code} phone number: {number!r}")


def prepare(raw):
    """``raw`` with an old 11-digit mobile prefix replaced by its current one.

    Anything else is returned as typed (stripped): stock formatting reads it.
    """
    text = (raw or "").strip()
    match = _OLD_MOBILE_RE.match(_SEPARATORS_RE.sub("", text))
    if match and match.group(1) in OLD_MOBILE_PREFIXES:
        return "+84" + OLD_MOBILE_PREFIXES[match.group(1)] + match.group(2)
    return text


def normalize_phone(raw, region=DEFAULT_REGION):
    """Return ``raw`` as an E.164 string ("+84912345678").

    Accepts the ways Vietnamese numbers are written: "0912 345 678",
    "+84 912345678", "84912345678", "(+84) 912.345.678", "0168 123 4567".
    Raises :class:`PhoneNumberError` for anything that is not a valid number,
    so a wrong number is never stored silently.
    """
    text = prepare(raw)
    if not text:
        raise PhoneNumberError(EMPTY, raw)
    digits = "".join(char for char in text if char.isdigit())
    # "84912345678" (country code without "+") is common in VN exports; stock
    # reads it too (a number too long for its region is retried with "+")
    if not text.startswith(("+", "0")) and digits.startswith("84") and len(digits) >= 11:
        text = "+" + digits
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise PhoneNumberError(INVALID, raw) from error
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneNumberError(INVALID, raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_phone(raw, region=DEFAULT_REGION):
    """Like :func:`normalize_phone` but returns ``None`` instead of raising."""
    try:
        return normalize_phone(raw, region)
    except PhoneNumberError:
        return None


def display_phone(e164, region=DEFAULT_REGION):
    """How staff read a stored number: "0912 345 678" for Vietnamese numbers,
    "+33 6 12 34 56 78" for foreign ones; anything unparsable unchanged."""
    try:
        parsed = phonenumbers.parse(e164 or "", region)
    except phonenumbers.NumberParseException:
        return e164 or ""
    if phonenumbers.region_code_for_number(parsed) == region:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
