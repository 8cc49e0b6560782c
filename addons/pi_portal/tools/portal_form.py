"""What the investor portal keeps of a posted form, and how an investor is addressed.

Pure Python: imports nothing from odoo (``tests/test_portal_form.py`` checks it).
A portal form reaches the server as whatever the sender chose to post: fields
the form does not have, a file where text is expected, a NUL byte (which
PostgreSQL refuses), a value of a megabyte. The controller keeps only the
fields of the form (``pick``); the model cleans and bounds each value
(``clean_text``) before anything is written.
"""

# Characters removed from posted text: C0 controls (NUL included) and DEL,
# except tab and line breaks, which a note may contain.
_CONTROL = {code: None for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}

# The fields of each portal form and the longest value each may have.
REQUEST_FORMS = {
    "contact_update": {"phone": 32, "email": 254, "street": 256, "city": 128, "note": 2000},
    "bank_update": {"bank_name": 128, "bank_account": 64, "bank_holder": 128, "note": 2000},
    "renew": {"desired_date": 32, "note": 2000},
    "settle": {"desired_date": 32, "note": 2000},
}

UNKNOWN_SALUTATION = "Quý khách"


class ValueTooLong(ValueError):
    """A posted value is longer than its field allows."""

    def __init__(self, field, max_length):
        super().__init__(f"{field} is longer than {max_length} characters")
        self.field = field
        self.max_length = max_length


def pick(post, kind):
    """The fields of the ``kind`` form found in ``post``, text values only.

    Any other key (``contract``, ``partner``, a made-up name) is dropped, and
    so is a value that is not text (an uploaded file): it counts as not filled.

    :param post: the posted parameters, ``{name: value}``
    :param kind: a key of ``REQUEST_FORMS``; an unknown kind keeps nothing
    :return: ``{name: str}``
    """
    names = REQUEST_FORMS.get(kind, {})
    return {name: value for name, value in post.items() if name in names and isinstance(value, str)}


def clean_text(value, field, max_length):
    """``value`` without control characters and surrounding spaces; ``""`` for no value.

    :raise ValueTooLong: when the cleaned value is longer than ``max_length``
    """
    if not isinstance(value, str):
        return ""
    text = value.translate(_CONTROL).strip()
    if len(text) > max_length:
        raise ValueTooLong(field, max_length)
    return text


def pronoun(salutation):
    """The word that says "you" to the person ``salutation`` addresses.

    A Vietnamese letter goes on with the title it opened with: "Kính gửi Anh
    Hùng … của Anh", "Kính gửi Chị Mai … của Chị". Without a personal title
    (``UNKNOWN_SALUTATION``, or no salutation at all) it is "Quý khách".
    """
    words = (salutation or "").split()
    if len(words) < 2 or " ".join(words) == UNKNOWN_SALUTATION:
        return UNKNOWN_SALUTATION
    return words[0]
