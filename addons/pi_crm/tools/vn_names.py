"""Vietnamese personal names and salutations.

Pure Python: imports nothing from odoo, so ``tests/`` checks it without a database.
"""

# pi_gender's choices, the same on leads and on partners; Odoo translates the labels through
# each field's selection records (i18n/vi.po names both fields')
GENDER_SELECTION = [("male", "Male"), ("female", "Female"), ("other", "Other")]

SALUTATION_BY_GENDER = {
    "male": "Anh",
    "female": "Chị",
}
UNKNOWN_SALUTATION = "Quý khách"


def split_name(full_name):
    """Return the words of a name, whitespace folded; ``[]`` for an empty name."""
    return (full_name or "").split()


def given_name(full_name):
    """Given name of a Vietnamese full name: its last word.

    Vietnamese names run family name, middle name(s), given name:
    "Nguyễn Văn Minh" → "Minh". A single word is returned as is.
    """
    words = split_name(full_name)
    return words[-1] if words else ""


def family_name(full_name):
    """Family name of a Vietnamese full name: its first word ("Nguyễn Văn Minh" → "Nguyễn")."""
    words = split_name(full_name)
    return words[0] if len(words) > 1 else ""


def salutation(gender, full_name):
    """Polite address used in letters, emails and SMS.

    "Anh Minh" for a man, "Chị Lan" for a woman; "Quý khách" when the gender
    is unknown or the name is empty, never a wrong "Anh"/"Chị".
    """
    title = SALUTATION_BY_GENDER.get(gender or "")
    name = given_name(full_name)
    if not title or not name:
        return UNKNOWN_SALUTATION
    return f"{title} {name}"
