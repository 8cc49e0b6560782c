"""Phone numbers in E.164 with Vietnam as the default region.

Pure Python: imports ``phonenumbers`` but nothing from odoo.
"""

import phonenumbers

DEFAULT_REGION = "VN"


class PhoneNumberError(ValueError):
    """Raised for a number that cannot be a real phone number.

    ``str(error)`` is a Vietnamese message meant for the user.
    """


def normalize_phone(raw, region=DEFAULT_REGION):
    """Return ``raw`` as an E.164 string ("+84912345678").

    Accepts the ways Vietnamese numbers are written: "0912 345 678",
    "+84 912345678", "84912345678", "(+84) 912.345.678".
    Raises :class:`PhoneNumberError` for anything that is not a valid number,
    so a wrong number is never stored silently.
    """
    text = (raw or "").strip()
    if not text:
        raise PhoneNumberError("Số điện thoại đang để trống.")
    digits = "".join(char for char in text if char.isdigit())
    # "84912345678" (country code without "+") is common in VN exports.
    if not text.startswith(("+", "0")) and digits.startswith("84") and len(digits) >= 11:
        text = "+" + digits
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise PhoneNumberError(
            f"Số điện thoại «{raw}» không đúng định dạng."
        ) from error
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneNumberError(f"Số điện thoại «{raw}» không phải là số hợp lệ.")
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
