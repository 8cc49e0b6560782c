"""Vietnam's 34 provincial units since 1 July 2025 (Resolution 202/2025/QH15).

Each unit: its code (the two-digit administrative code of Decision
19/2025/QĐ-TTg), its name, whether it is a centrally-run city, and the codes of
the old units (Odoo's base ``res.country.state`` codes, ISO 3166-2:VN) that
merged into it. The first old unit of each row is the one whose name the new
unit keeps.
"""

try:
    from .vn_text import strip_diacritics
except ImportError:  # imported by its bare name, as tests/conftest.py does: tools/ is then no package
    from vn_text import strip_diacritics

NEW_UNITS = (
    # code, name, central city, old base codes
    ("01", "TP Hà Nội", True, ("VN-HN",)),
    ("04", "Cao Bằng", False, ("VN-04",)),
    ("08", "Tuyên Quang", False, ("VN-07", "VN-03")),
    ("11", "Điện Biên", False, ("VN-71",)),
    ("12", "Lai Châu", False, ("VN-01",)),
    ("14", "Sơn La", False, ("VN-05",)),
    ("15", "Lào Cai", False, ("VN-02", "VN-06")),
    ("19", "Thái Nguyên", False, ("VN-69", "VN-53")),
    ("20", "Lạng Sơn", False, ("VN-09",)),
    ("22", "Quảng Ninh", False, ("VN-13",)),
    ("24", "Bắc Ninh", False, ("VN-56", "VN-54")),
    ("25", "Phú Thọ", False, ("VN-68", "VN-70", "VN-14")),
    ("31", "TP Hải Phòng", True, ("VN-HP", "VN-61")),
    ("33", "Hưng Yên", False, ("VN-66", "VN-20")),
    ("37", "Ninh Bình", False, ("VN-18", "VN-63", "VN-67")),
    ("38", "Thanh Hóa", False, ("VN-21",)),
    ("40", "Nghệ An", False, ("VN-22",)),
    ("42", "Hà Tĩnh", False, ("VN-23",)),
    ("44", "Quảng Trị", False, ("VN-25", "VN-24")),
    ("46", "TP Huế", True, ("VN-26",)),
    ("48", "TP Đà Nẵng", True, ("VN-DN", "VN-27")),
    ("51", "Quảng Ngãi", False, ("VN-29", "VN-28")),
    ("52", "Gia Lai", False, ("VN-30", "VN-31")),
    ("56", "Khánh Hòa", False, ("VN-34", "VN-36")),
    ("66", "Đắk Lắk", False, ("VN-33", "VN-32")),
    ("68", "Lâm Đồng", False, ("VN-35", "VN-72", "VN-40")),
    ("75", "Đồng Nai", False, ("VN-39", "VN-58")),
    ("79", "TP Hồ Chí Minh", True, ("VN-SG", "VN-57", "VN-43")),
    ("80", "Tây Ninh", False, ("VN-37", "VN-41")),
    ("82", "Đồng Tháp", False, ("VN-45", "VN-46")),
    ("86", "Vĩnh Long", False, ("VN-49", "VN-50", "VN-51")),
    ("91", "An Giang", False, ("VN-44", "VN-47")),
    ("92", "TP Cần Thơ", True, ("VN-CT", "VN-52", "VN-73")),
    ("96", "Cà Mau", False, ("VN-59", "VN-55")),
)

SUCCESSOR_BY_OLD_CODE = {old: unit[0] for unit in NEW_UNITS for old in unit[3]}
NAME_BY_CODE = {unit[0]: unit[1] for unit in NEW_UNITS}

_PREFIXES = ("thanh pho ", "tp. ", "tp ", "tinh ")


def name_key(text):
    """A province name as people type it, reduced for comparison.

    "Thành phố Hồ Chí Minh", "TP. HCM"'s long form "tp ho chi minh" and
    "Hồ Chí Minh" give the same key; so do "Thừa Thiên - Huế" and "Thua Thien Hue".
    """
    text = " ".join(strip_diacritics(text).lower().replace("-", " ").replace(".", ". ").split())
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    return text.replace(".", "").replace(" ", "")


# What people still write for a unit, beyond its names: short forms and the pre-2025 "Thừa Thiên Huế".
ALIASES = {"hcm": "79", "tphcm": "79", "saigon": "79", "hn": "01", "thuathienhue": "46"}
