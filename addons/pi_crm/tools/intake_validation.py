"""Input validation of the intake API (website leads, PBX calls).

Pure Python: imports ``vn_phone`` (phonenumbers) but nothing from odoo, so the
rules can be tested without a database and reused by any other door.

Every ``validate_*`` function returns ``(clean, errors)``: ``clean`` holds the
normalised values when ``errors`` is empty; ``errors`` maps a field name to a
Vietnamese message meant for the person who filled the form, and
``error_codes`` (same keys) gives integrators a stable machine-readable code.
"""

import json
import re
from urllib.parse import parse_qsl

try:  # flat import in the pure tests, package import inside the addon
    from . import vn_phone
except ImportError:  # pragma: no cover - depends on how the module is loaded
    import vn_phone

MAX_BODY_BYTES = 64 * 1024
MAX_NAME = 200
MAX_NOTE = 5000
MAX_UTM = 100
MAX_EMAIL = 254
MAX_AMOUNT = 10**15  # whole đồng; far above any real subscription
INTERESTS = ("newsletter", "invest")
GENDERS = {
    "male": "male",
    "nam": "male",
    "female": "female",
    "nu": "female",
    "nữ": "female",
    "other": "other",
    "khac": "other",
    "khác": "other",
}
# Deliberately simple: one "@", a dot in the domain, no spaces. Mail servers
# are the real judge; this only stops obvious typos.
EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]{2,}$")
AMOUNT_TEXT_RE = re.compile(r"^\d{1,3}([., ]\d{3})+$|^\d+$")
ANONYMOUS_CALLERS = {"anonymous", "unknown", "private", "restricted", "unavailable"}


class BodyError(ValueError):
    """The request body cannot be read as an object of fields."""

    code = "invalid_body"


class Errors:
    """Collects ``field -> (code, message)`` pairs."""

    def __init__(self):
        self.items = {}

    def add(self, field, code, message):
        self.items.setdefault(field, (code, message))

    def __bool__(self):
        return bool(self.items)

    @property
    def messages(self):
        return {field: message for field, (_code, message) in self.items.items()}

    @property
    def codes(self):
        return {field: code for field, (code, _message) in self.items.items()}


def parse_body(raw, content_type):
    """Return the request body as a dict of fields.

    :param bytes raw: the body (already checked against ``MAX_BODY_BYTES``)
    :param str content_type: the ``Content-Type`` header
    :raises BodyError: unsupported media type, bad encoding, bad JSON, or a
        JSON document that is not an object
    """
    mimetype = (content_type or "").split(";")[0].strip().lower()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyError("Nội dung gửi lên phải được mã hoá UTF-8.") from error
    if mimetype in ("application/json", "") or mimetype.endswith("+json"):
        try:
            data = json.loads(text) if text.strip() else {}
        except ValueError as error:
            raise BodyError("Nội dung gửi lên không phải là JSON hợp lệ.") from error
        if not isinstance(data, dict):
            raise BodyError("Nội dung JSON phải là một đối tượng {…}.")
        return data
    if mimetype == "application/x-www-form-urlencoded":
        data = {}
        for key, value in parse_qsl(text, keep_blank_values=True):
            data.setdefault(key, value)  # first value wins, like a plain form field
        return data
    error = BodyError("Chỉ nhận nội dung dạng application/json hoặc application/x-www-form-urlencoded.")
    error.code = "unsupported_media_type"
    raise error


def _text(data, field, errors, max_len, required=False):
    """A stripped string or ``None``; records an error for a wrong type or length."""
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.add(field, "required", "Trường này là bắt buộc.")
        return None
    if not isinstance(value, str):
        errors.add(field, "wrong_type", "Giá trị phải là một chuỗi ký tự.")
        return None
    value = " ".join(value.split()) if field != "note" else value.strip()
    if len(value) > max_len:
        errors.add(field, "too_long", f"Tối đa {max_len} ký tự.")
        return None
    return value


def normalize_email(value):
    """Lower-case the domain and check the shape; return ``None`` when invalid."""
    value = value.strip()
    if len(value) > MAX_EMAIL or not EMAIL_RE.match(value):
        return None
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def parse_amount(value):
    """Whole đồng from an int, a whole float or a text such as "50.000.000".

    :returns: ``(amount, None)`` or ``(None, (code, message))``
    """
    if isinstance(value, bool):
        return None, ("wrong_type", "Số tiền phải là một số.")
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("-"):
            return None, ("negative", "Số tiền không được âm.")
        if not AMOUNT_TEXT_RE.match(text):
            return None, ("wrong_type", "Số tiền phải là một số nguyên (đồng).")
        value = int(re.sub(r"[., ]", "", text))
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):  # NaN, inf
            return None, ("wrong_type", "Số tiền phải là một số.")
        if value < 0:
            return None, ("negative", "Số tiền không được âm.")
        if value != int(value):
            return None, ("wrong_type", "Số tiền phải là một số nguyên (đồng).")
        value = int(value)
    elif not isinstance(value, int):
        return None, ("wrong_type", "Số tiền phải là một số.")
    if value < 0:
        return None, ("negative", "Số tiền không được âm.")
    if value > MAX_AMOUNT:
        return None, ("too_large", "Số tiền quá lớn.")
    return value, None


def validate_lead(data):
    """Check a website submission.

    :param dict data: the parsed body
    :returns: ``(clean, errors)``; ``clean`` keys: name, phone (E.164 or None),
        email, gender, interest, amount, note, utm_source, utm_medium, utm_campaign
    """
    errors = Errors()
    clean = {"name": _text(data, "name", errors, MAX_NAME, required=True)}

    phone_raw = data.get("phone")
    clean["phone"] = None
    if isinstance(phone_raw, int) and not isinstance(phone_raw, bool):
        errors.add("phone", "wrong_type", "Số điện thoại phải là một chuỗi ký tự.")
    else:
        phone_text = _text(data, "phone", errors, 40)
        if phone_text:
            try:
                clean["phone"] = vn_phone.normalize_phone(phone_text)
            except vn_phone.PhoneNumberError as error:
                errors.add("phone", "invalid", str(error))

    email_text = _text(data, "email", errors, MAX_EMAIL + 10)
    clean["email"] = None
    if email_text:
        clean["email"] = normalize_email(email_text)
        if not clean["email"]:
            errors.add("email", "invalid", f"Địa chỉ email «{email_text}» không hợp lệ.")

    if not clean["phone"] and not clean["email"] and "phone" not in errors.items \
            and "email" not in errors.items:
        errors.add("contact", "required", "Cần ít nhất số điện thoại hoặc email để liên hệ.")

    gender = _text(data, "gender", errors, 20)
    clean["gender"] = None
    if gender:
        clean["gender"] = GENDERS.get(gender.lower())
        if not clean["gender"]:
            errors.add("gender", "invalid", "Giới tính phải là male, female hoặc other.")

    interest = _text(data, "interest", errors, 20)
    clean["interest"] = None
    if interest:
        if interest.lower() not in INTERESTS:
            errors.add("interest", "invalid", "Nhu cầu phải là newsletter hoặc invest.")
        else:
            clean["interest"] = interest.lower()

    clean["amount"] = None
    if data.get("amount") not in (None, ""):
        clean["amount"], problem = parse_amount(data["amount"])
        if problem:
            errors.add("amount", *problem)

    clean["note"] = _text(data, "note", errors, MAX_NOTE)
    for field in ("utm_source", "utm_medium", "utm_campaign"):
        clean[field] = _text(data, field, errors, MAX_UTM)
    return clean, errors


def validate_pbx(data):
    """Check a PBX caller-ID notification.

    :param dict data: the parsed body (``caller``, ``called``, ``call_id``)
    :returns: ``(clean, errors)``; ``clean["caller"]`` is E.164
    """
    errors = Errors()
    clean = {"caller": None}
    caller = data.get("caller")
    if isinstance(caller, int) and not isinstance(caller, bool):
        caller = str(caller)  # some PBXs send the digits as a JSON number
    if caller is None or (isinstance(caller, str) and not caller.strip()):
        errors.add("caller", "required", "Thiếu số gọi đến.")
    elif not isinstance(caller, str):
        errors.add("caller", "wrong_type", "Số gọi đến phải là một chuỗi ký tự.")
    elif caller.strip().lower() in ANONYMOUS_CALLERS or len(caller) > 40:
        errors.add("caller", "invalid", "Số gọi đến bị ẩn hoặc không hợp lệ.")
    else:
        try:
            clean["caller"] = vn_phone.normalize_phone(caller)
        except vn_phone.PhoneNumberError as error:
            errors.add("caller", "invalid", str(error))
    for field, max_len in (("called", 40), ("call_id", 128)):
        value = data.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            data = dict(data, **{field: str(value)})
        clean[field] = _text(data, field, errors, max_len)
    return clean, errors
