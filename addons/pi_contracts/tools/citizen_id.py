"""Vietnamese citizen ID numbers: the 12-digit CCCD and the old 9-digit CMND.

A CCCD reads ``PPP G YY NNNNNN``: PPP the province of birth (the 63 old
provinces' codes, 001–096), G the gender and century (0/1 a man/woman born
1900–1999, 2/3 for 2000–2099, 4/5 for 2100–2199, 6/7 for 2200–2299, 8/9 for
1800–1899), YY the last two digits of the birth year, then six serial digits.
"""


# A copy of pi_crm's marker on purpose: a tools module cannot import another addon's (under Odoo
# that is odoo.addons.pi_crm.tools, which needs odoo; under pytest the bare name, which Odoo has not),
# and the .pot export files a msgid under the addon whose file holds the call anyway.
def _lt(message):
    """Mark ``message`` as a pi_contracts msgid (like pi_crm.tools.intake_validation._lt); the model translates it."""
    return message


# the province-of-birth codes (Circular 07/2016/TT-BCA): the old provinces' codes
PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024",
    "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045",
    "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070",
    "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
    "094", "095", "096",
})
CENTURY_BY_DIGIT_PAIR = {0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 1800}

KIND_CCCD = "cccd"
KIND_CMND = "cmnd"


def normalize(number):
    """The digits of an ID as typed ("001 090 012345" → "001090012345")."""
    return "".join((number or "").split()).replace(".", "").replace("-", "")


def check(number, gender=None, birth_year=None):
    """Check an ID number against its own structure and the person.

    :param gender: "male" / "female" / other or None (not checked then)
    :param birth_year: int or None (not checked then)
    :returns: ``(kind, None)`` when valid, ``(None, (message, params))`` when not;
        ``message`` is a lazily translated string with named placeholders.
    """
    digits = normalize(number)
    if not digits.isdigit():
        return None, (_lt("A citizen ID has digits only."), {})
    if len(digits) == 9:
        return KIND_CMND, None
    if len(digits) != 12:
        return None, (_lt("A citizen ID (CCCD) has 12 digits, an old ID card (CMND) 9; this number has %(count)s."),
                      {"count": len(digits)})
    province = digits[:3]
    if province not in PROVINCE_CODES:
        return None, (_lt("The first three digits (%(code)s) are not a province code of a CCCD."),
                      {"code": province})
    gender_digit = int(digits[3])
    century = CENTURY_BY_DIGIT_PAIR[gender_digit // 2]
    id_gender = "female" if gender_digit % 2 else "male"
    year = century + int(digits[4:6])
    if gender in ("male", "female") and gender != id_gender:
        if id_gender == "male":
            return None, (_lt("This CCCD is a man's (4th digit %(digit)s), but the customer is recorded as a woman."),
                          {"digit": gender_digit})
        return None, (_lt("This CCCD is a woman's (4th digit %(digit)s), but the customer is recorded as a man."),
                      {"digit": gender_digit})
    if birth_year and int(birth_year) != year:
        return None, (_lt("This CCCD belongs to someone born in %(id_year)s, but the customer's birth year is "
                          "%(year)s."), {"id_year": year, "year": int(birth_year)})
    return KIND_CCCD, None


def birth_year(number):
    """The birth year a valid CCCD encodes, or None."""
    digits = normalize(number)
    if len(digits) != 12 or not digits.isdigit():
        return None
    return CENTURY_BY_DIGIT_PAIR[int(digits[3]) // 2] + int(digits[4:6])
