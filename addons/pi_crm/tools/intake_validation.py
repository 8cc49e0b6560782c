"""Input validation of the intake API (website leads, PBX calls).

Pure Python, nothing from odoo, so the rules can be tested without a database
and reused by any other door.

The rules are those of ``static/openapi/pi_intake_v1.yaml``, field by field:
the regular expressions below are the file's ``pattern`` values (a pure test
compares them, another checks with generated bodies that the file's schemas
and these functions accept exactly the same requests). A value the file
refuses is refused here, before anything reaches the database: PostgreSQL
refuses a NUL character in text, and a lone surrogate cannot be encoded.

Every ``validate_*`` function returns ``(clean, errors)``: ``clean`` holds the
normalised values when ``errors`` is empty; ``errors`` (:class:`Errors`) gives
per field a stable code for integrators (``error_codes`` of the answer) and an
English message with named placeholders, which the controller answers in
Vietnamese through pi_crm's ``i18n/vi.po`` (``controllers/intake.py``).
"""

import json
import re
from urllib.parse import parse_qsl

MAX_BODY_BYTES = 64 * 1024
# A lead or a call is a flat object; deeper JSON is refused before it is
# parsed (the decoder recurses once per level).
MAX_JSON_DEPTH = 20
MAX_NAME = 200
MAX_NOTE = 5000
MAX_UTM = 100
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_CALL_ID = 128
MAX_AMOUNT = 10**15 - 1  # whole đồng, at most 15 digits; far above any real subscription
MAX_INTEGER_ID = 2**63 - 1  # a PBX's numeric call id or line (64-bit)
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
ANONYMOUS_CALLERS = {"anonymous", "unknown", "private", "restricted", "unavailable"}

# ------------------------------------------------------------ the file's patterns
# Written so that Python's re, ECMA-262 and the Rust engine of OpenAPI tools
# read them alike: ASCII classes only (``[0-9]``, never ``\d`` or ``\s``, which
# each reads over its own Unicode set), and compiled here with ``$`` meaning
# the end of the text, as JSON Schema means it (``_compile``). ``\u0000`` is
# the NUL character.
WHITESPACE = " \t\n\r\f\v"
_WS = r"[ \t\n\r\f\v]"
TEXT_PATTERN = r"^[^\u0000]*$"
REQUIRED_TEXT_PATTERN = r"^[^\u0000]*[^\u0000 \t\n\r\f\v][^\u0000]*$"
NOT_BLANK_PATTERN = r"[^ \t\n\r\f\v]"
BLANK_PATTERN = rf"^{_WS}*$"
# Deliberately simple: one "@", a dot in the domain, no spaces nor control
# characters. Mail servers are the real judge; this only stops obvious typos.
_EMAIL_CHAR = r'[^@\u0000-\u0020\u007f<>(),;:"'
_EMAIL = rf"{_EMAIL_CHAR}]+@{_EMAIL_CHAR}]+\.{_EMAIL_CHAR}.]{{2,}}"
EMAIL_PATTERN = rf"^{_WS}*$|^{_WS}*{_EMAIL}{_WS}*$"
AMOUNT_TEXT_PATTERN = r"^$|^[0-9]{1,15}$|^[0-9]{1,3}(?:[., ][0-9]{3}){1,4}$"


def _compile(pattern):
    """``pattern`` as JSON Schema reads it: ``$`` is the end of the text (in
    Python it also matches before a final newline). Patterns here use ``$``
    only as an anchor."""
    return re.compile(pattern.replace("$", r"\Z"))


def _with_separators(digits_pattern, separator="[ .()-]{0,2}"):
    """``digits_pattern`` (digits, classes, ``(?:…|…)`` and ``{n}``) with up to
    two separators allowed before each digit: "0912 345 678", "0912.345.678",
    "(028) 3822 1234"."""
    tokens = re.findall(r"\(\?:|\)|\||\[[^\]]+\]|[0-9]|\{\d+(?:,\d+)?\}", digits_pattern)
    if "".join(tokens) != digits_pattern:
        raise ValueError(f"unsupported phone pattern {digits_pattern!r}")
    out = []
    for token in tokens:
        if token.startswith("{"):
            out.append(f"(?:{out.pop()}){token}")
        elif token in ("(?:", ")", "|"):
            out.append(token)
        else:
            out.append(separator + token)
    return "".join(out)


# Vietnamese numbers PI accepts: landlines and mobiles of the national numbering
# plan, as national significant numbers (phonenumbers' metadata for VN, without
# its special 1xx ranges; a pure test checks each is a valid number).
VN_NATIONAL_NUMBER = (
    "2(?:0[3-9]|1[0-689]|2[0-25-9]|[38][2-9]|4[2-8]|5[124-9]|6[0-39]|7[0-7]|9[0-4679])[0-9]{7}"
    "|(?:(?:3[0-9]|7[06-9])[0-9]|5(?:[1689][0-9]|2[238]|59)|8(?:[1-8][0-9]|9[6-9])|9(?:[0-8][0-9]|9[013-9]))[0-9]{6}"
)
VN_PREFIX = r"\+84|\(\+84\)|84|\(?0"
_VN_PHONE = f"(?:{VN_PREFIX})?(?:{_with_separators(VN_NATIONAL_NUMBER)})"
# Other countries: international form, "+" or "00", the country code (not 84)
# and the number, 6 to 15 digits in all; taken as given.
_INTL_PHONE = r"(?:\+|00)(?:[1-79]|8[0-35-9])(?:[ .()-]{0,2}[0-9]){5,13}"
PHONE_PATTERN = rf"^{_WS}*(?:{_VN_PHONE}|{_INTL_PHONE}){_WS}*$"

_TEXT_RE = _compile(TEXT_PATTERN)
_EMAIL_RE = _compile(EMAIL_PATTERN)
_AMOUNT_TEXT_RE = _compile(AMOUNT_TEXT_PATTERN)
_PHONE_RE = _compile(PHONE_PATTERN)
_VN_PHONE_RE = _compile(rf"^{_WS}*(?:{VN_PREFIX})?({_with_separators(VN_NATIONAL_NUMBER)}){_WS}*$")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _lt(message):
    """Mark ``message`` as one of pi_crm's msgids and return it unchanged.

    Odoo's .pot export collects the first argument of every call named ``_``
    or ``_lt`` in the addon's Python files, whatever the name is bound to: this
    no-op marker gets the messages of this module (which imports nothing from
    odoo) into ``i18n/pi_crm.pot``; the controller translates them when it answers.
    """
    return message


def format_message(message, params):
    """``message`` with its named placeholders filled, as Odoo's ``_()`` does."""
    return message % params if params else message


NUL_MESSAGE = _lt("The value contains an invalid character.")
REQUIRED_MESSAGE = _lt("This field is required.")
NOT_A_STRING_MESSAGE = _lt("The value must be a string.")
NOT_A_NUMBER_MESSAGE = _lt("The amount must be a number.")
NEGATIVE_MESSAGE = _lt("The amount cannot be negative.")
NOT_UTF8_MESSAGE = _lt("The body must be encoded in UTF-8.")
UNREADABLE_BODY_MESSAGE = _lt("The body could not be read.")
UNREADABLE_MULTIPART_MESSAGE = _lt("The multipart/form-data body could not be read.")

# The codes of the API's error answers (``Error.error`` of the OpenAPI file), with their HTTP status
# and their message.
ERROR_STATUSES = {
    "missing_key": 401,
    "invalid_key": 401,
    "wrong_key_kind": 403,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "rate_limited": 429,
    "internal_error": 500,
}
ERROR_MESSAGES = {
    "missing_key": _lt("The integration key is missing (header %(header)s)."),
    "invalid_key": _lt("The integration key is wrong or has been revoked."),
    "wrong_key_kind": _lt("This key is not meant for this address."),
    "payload_too_large": _lt("The body is larger than %(size)s KB."),
    "unsupported_media_type": _lt(
        "Only application/json, application/x-www-form-urlencoded or multipart/form-data bodies are accepted."
    ),
    "rate_limited": _lt("The number of calls allowed was exceeded."),
    "internal_error": _lt("System error, please try again later."),
}
# The codes of a field's error (``FieldErrors.error_codes``; ``invalid_body``
# for the body as a whole), answered with this status.
FIELD_ERROR_CODES = (
    "required", "invalid", "invalid_character", "wrong_type", "too_long", "too_large", "negative", "invalid_body",
)
FIELD_ERROR_STATUS = 400
# The result logged for an answer with field errors.
FIELD_ERRORS_RESULT = "invalid"


def error_status(code):
    """The HTTP status of an error answer with ``code`` (see ``ERROR_STATUSES``)."""
    if code in ERROR_STATUSES:
        return ERROR_STATUSES[code]
    if code in FIELD_ERROR_CODES or code == FIELD_ERRORS_RESULT:
        return FIELD_ERROR_STATUS
    raise ValueError(f"Undocumented intake error code {code!r}")


class BodyError(ValueError):
    """The request body cannot be read as an object of fields.

    ``code`` is the answer's (``invalid_body`` or ``unsupported_media_type``),
    ``message`` an English msgid and ``params`` its placeholders' values;
    ``str(error)`` is the English text.
    """

    def __init__(self, message, params=None, code="invalid_body"):
        self.code = code
        self.message = message
        self.params = params or {}
        super().__init__(format_message(message, self.params))


class Errors:
    """Collects one error per field: ``{"code", "field", "message", "params"}``,
    ``message`` being an English msgid with named placeholders."""

    def __init__(self):
        self.items = {}

    def add(self, field, code, message, params=None):
        if code not in FIELD_ERROR_CODES:
            raise ValueError(f"Undocumented field error code {code!r}")
        self.items.setdefault(field, {"code": code, "field": field, "message": message, "params": params or {}})

    def __bool__(self):
        return bool(self.items)

    def translated(self, translate):
        """``field -> message`` with each message passed through ``translate(message, params)``."""
        return {field: translate(item["message"], item["params"]) for field, item in self.items.items()}

    @property
    def messages(self):
        """``field -> message`` in English."""
        return self.translated(format_message)

    @property
    def codes(self):
        return {field: item["code"] for field, item in self.items.items()}


# ------------------------------------------------------------------ body
def decode_text(raw):
    """The body as text; invalid UTF-8 is refused, not replaced."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyError(NOT_UTF8_MESSAGE) from error


def json_depth_exceeds(text, limit=MAX_JSON_DEPTH):
    """Whether the JSON ``text`` nests arrays or objects deeper than ``limit``.

    Counts brackets outside strings; a body with fewer brackets than the limit
    (every real submission) is answered without scanning it.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _has_surrogate(value):
    """Whether a parsed JSON value holds a lone surrogate in any key or string."""
    if isinstance(value, str):
        return bool(_SURROGATE_RE.search(value))
    if isinstance(value, dict):
        return any(_has_surrogate(key) or _has_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(item) for item in value)
    return False


def parse_body(raw, content_type):
    """Return the request body as a dict of fields.

    :param bytes raw: the body (already checked against ``MAX_BODY_BYTES``)
    :param str content_type: the ``Content-Type`` header
    :raises BodyError: unsupported media type, bad encoding, bad JSON, JSON
        nested too deep or holding a lone surrogate (``\\ud800``, which no
        UTF-8 text can carry: RFC 7493), or a JSON document that is not an object
    """
    mimetype = (content_type or "").split(";")[0].strip().lower()
    if mimetype in ("application/json", "") or mimetype.endswith("+json"):
        text = decode_text(raw)
        if json_depth_exceeds(text):
            raise BodyError(_lt("The JSON body is nested more than %(levels)s levels deep."),
                            {"levels": MAX_JSON_DEPTH})
        try:
            data = json.loads(text) if text.strip() else {}
        except (ValueError, RecursionError) as error:
            raise BodyError(_lt("The body is not valid JSON.")) from error
        if not isinstance(data, dict):
            raise BodyError(_lt("The JSON body must be an object {…}."))
        if _has_surrogate(data):
            raise BodyError(_lt("The JSON body contains an invalid Unicode character."))
        return data
    if mimetype == "application/x-www-form-urlencoded":
        text = decode_text(raw)
        data = {}
        try:
            pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as error:  # a %-escape that is not UTF-8
            raise BodyError(NOT_UTF8_MESSAGE) from error
        for key, value in pairs:
            data.setdefault(key, value)  # first value wins, like a plain form field
        return data
    raise BodyError(ERROR_MESSAGES["unsupported_media_type"], code="unsupported_media_type")


# ------------------------------------------------------------------ fields
def _text(data, field, errors, max_len, required=False):
    """A stripped string or ``None`` (missing, null or blank); records an error
    for a wrong type, a length over ``max_len`` or a NUL character."""
    value = data.get(field)
    if value is None:
        if required:
            errors.add(field, "required", REQUIRED_MESSAGE)
        return None
    if not isinstance(value, str):
        errors.add(field, "wrong_type", NOT_A_STRING_MESSAGE)
        return None
    if len(value) > max_len:
        errors.add(field, "too_long", _lt("At most %(max)s characters."), {"max": max_len})
        return None
    if not _TEXT_RE.search(value):
        errors.add(field, "invalid_character", NUL_MESSAGE)
        return None
    if not value.strip(WHITESPACE):
        if required:
            errors.add(field, "required", REQUIRED_MESSAGE)
        return None
    # Spaces tidied (a note keeps its lines); a value of Unicode spaces only stays as given.
    tidy = value.strip() if field == "note" else " ".join(value.split())
    return tidy or value.strip(WHITESPACE)


def _integer_or_text(data, field, errors, max_len):
    """A PBX identifier given as a string or as a whole number (0 to 2⁶³−1)."""
    value = data.get(field)
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= MAX_INTEGER_ID:
            errors.add(field, "invalid", _lt("The number must be between 0 and %(max)s."), {"max": MAX_INTEGER_ID})
            return None
        return str(value)
    return _text(data, field, errors, max_len)


def normalize_phone(text):
    """E.164 of a number matching ``PHONE_PATTERN``: "+84912345678"."""
    match = _VN_PHONE_RE.search(text)
    if match:
        return "+84" + re.sub(r"[^0-9]", "", match.group(1))
    digits = re.sub(r"[^0-9]", "", text)
    return "+" + (digits[2:] if text.strip(WHITESPACE).startswith("00") else digits)


def _phone(data, field, errors, required=False):
    """The E.164 of a phone field, ``None`` when absent; errors as ``_text``
    plus ``invalid`` for what is not a number ``PHONE_PATTERN`` accepts."""
    text = _text(data, field, errors, MAX_PHONE, required=required)
    if text is None:
        return None
    if not _PHONE_RE.search(data[field]):
        if text.lower() in ANONYMOUS_CALLERS:
            errors.add(field, "invalid", _lt("The calling number is hidden or invalid."))
        else:
            errors.add(
                field,
                "invalid",
                _lt(
                    'The phone number "%(number)s" is not a valid number. Write it as 0912 345 678 or +84 912 345 678.'
                ),
                {"number": text},
            )
        return None
    return normalize_phone(data[field])


def _choice(data, field, errors, choices, message):
    """One of ``choices`` as written, or ``None`` for null or an empty string."""
    value = data.get(field)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors.add(field, "wrong_type", NOT_A_STRING_MESSAGE)
        return None
    if value not in choices:
        errors.add(field, "invalid", message)
        return None
    return value


def normalize_email(value):
    """Lower-case the domain and check the shape; return ``None`` when invalid."""
    if len(value) > MAX_EMAIL or not _EMAIL_RE.search(value) or not value.strip(WHITESPACE):
        return None
    local, domain = value.strip(WHITESPACE).rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def parse_amount(value):
    """Whole đồng from an int, a whole float or a text such as "50.000.000".

    :returns: ``(amount, None)`` (amount ``None`` for null or an empty text)
        or ``(None, (code, message, params))``
    """
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, ("wrong_type", NOT_A_NUMBER_MESSAGE, None)
    if isinstance(value, str):
        if value.strip(WHITESPACE).startswith("-"):
            return None, ("negative", NEGATIVE_MESSAGE, None)
        if not _AMOUNT_TEXT_RE.search(value):
            return None, (
                "wrong_type",
                _lt("The amount must be a whole number (đồng) of at most %(digits)s digits."),
                {"digits": len(str(MAX_AMOUNT))},
            )
        text = re.sub(r"[., ]", "", value)
        return (int(text) if text else None), None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):  # NaN, inf
            return None, ("wrong_type", NOT_A_NUMBER_MESSAGE, None)
        if value < 0:
            return None, ("negative", NEGATIVE_MESSAGE, None)
        if value != int(value):
            return None, ("wrong_type", _lt("The amount must be a whole number (đồng)."), None)
        value = int(value)
    elif not isinstance(value, int):
        return None, ("wrong_type", NOT_A_NUMBER_MESSAGE, None)
    if value < 0:
        return None, ("negative", NEGATIVE_MESSAGE, None)
    if value > MAX_AMOUNT:
        return None, ("too_large", _lt("The amount is too large."), None)
    return value, None


def validate_lead(data):
    """Check a website submission.

    :param dict data: the parsed body
    :returns: ``(clean, errors)``; ``clean`` keys: name, phone (E.164 or None),
        email, gender, interest, amount, note, province, utm_source, utm_medium, utm_campaign
    """
    errors = Errors()
    clean = {"name": _text(data, "name", errors, MAX_NAME, required=True)}

    clean["phone"] = _phone(data, "phone", errors)

    clean["email"] = None
    email_text = _text(data, "email", errors, MAX_EMAIL)
    if email_text:
        clean["email"] = normalize_email(data["email"])
        if not clean["email"]:
            errors.add("email", "invalid", _lt('The email address "%(email)s" is not valid.'), {"email": email_text})

    if not clean["phone"] and not clean["email"] and "phone" not in errors.items \
            and "email" not in errors.items:
        errors.add("contact", "required", _lt("A phone number or an email address is needed to get in touch."))

    gender = _choice(data, "gender", errors, GENDERS, _lt("The gender must be male, female or other."))
    clean["gender"] = GENDERS.get(gender)
    clean["interest"] = _choice(data, "interest", errors, INTERESTS, _lt("The interest must be newsletter or invest."))

    clean["amount"], problem = parse_amount(data.get("amount"))
    if problem:
        errors.add("amount", *problem)

    clean["note"] = _text(data, "note", errors, MAX_NOTE)
    clean["province"] = _text(data, "province", errors, MAX_UTM)
    for field in ("utm_source", "utm_medium", "utm_campaign"):
        clean[field] = _text(data, field, errors, MAX_UTM)
    return clean, errors


def validate_pbx(data):
    """Check a PBX caller-ID notification.

    :param dict data: the parsed body (``caller``, ``called``, ``call_id``)
    :returns: ``(clean, errors)``; ``clean["caller"]`` is E.164
    """
    errors = Errors()
    clean = {"caller": _phone(data, "caller", errors, required=True)}
    clean["called"] = _integer_or_text(data, "called", errors, MAX_PHONE)
    clean["call_id"] = _integer_or_text(data, "call_id", errors, MAX_CALL_ID)
    return clean, errors


def clean_log_text(value, max_len=255):
    """A header value (client address…) as the audit log can store it: no NUL
    nor lone surrogate, at most ``max_len`` characters; ``None`` stays ``None``."""
    if value is None:
        return None
    return _SURROGATE_RE.sub("\ufffd", str(value).replace("\x00", ""))[:max_len]
