"""E-mail addresses typed by staff or sent to the API: one shape rule for every door.

Pure Python (nothing from odoo). The rule is the intake API's
``intake_validation.normalize_email``: one "@", a dotted domain, no spaces.
Stock ``email_normalize`` is no check: it keeps what follows the last "@", so
"hanh.do@@example" becomes "@example" and passes.
"""

import re

try:  # flat import in the pure tests, package import inside the addon
    from .intake_validation import normalize_email
except ImportError:  # pragma: no cover - depends on how the module is loaded
    from intake_validation import normalize_email

# commas and semicolons separate addresses, except inside a quoted name
SEPARATOR_RE = re.compile(r'[,;](?=(?:[^"]*"[^"]*")*[^"]*$)')
# "Name <address>": the address between the angle brackets
FORMATTED_RE = re.compile(r"^(?:\"[^\"]*\"\s*|[^<>\"]*)<([^<>]*)>$")


def invalid_addresses(value):
    """The addresses of an e-mail field's value that fail the shape check.

    A value holds one address, a formatted ``Name <address>``, or several of
    them separated by commas or semicolons, as stock e-mail fields accept.

    :param str value: what was typed (``None`` or blank: nothing to check)
    :return: the faulty parts, stripped, in the order typed (empty when valid)
    """
    if not value or not value.strip():
        return []
    invalid = []
    parts = [part.strip() for part in SEPARATOR_RE.split(value)]
    for part in parts:
        if not part:
            continue
        formatted = FORMATTED_RE.match(part)
        address = formatted.group(1) if formatted else part
        if not normalize_email(address):
            invalid.append(part)
    if not invalid and not any(parts):
        invalid.append(value.strip())  # only separators
    return invalid
