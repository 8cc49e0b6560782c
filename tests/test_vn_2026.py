"""Vietnam's 2026 data: the 34 provinces, citizen IDs (CCCD) and VietQR codes."""
import unicodedata

import pytest

import citizen_id
import vietqr
import vn_provinces

PUBLISHED_EXAMPLE = ("00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704540612000058"
                     "02VN62170813ung ho lu lut6304C15C")


def test_34_units_six_of_them_central_cities():
    assert len(vn_provinces.NEW_UNITS) == 34
    assert len({unit[0] for unit in vn_provinces.NEW_UNITS}) == 34
    assert sorted(unit[1] for unit in vn_provinces.NEW_UNITS if unit[2]) == sorted(
        ["TP Hà Nội", "TP Hải Phòng", "TP Huế", "TP Đà Nẵng", "TP Cần Thơ", "TP Hồ Chí Minh"])


def test_each_of_the_63_old_units_has_one_successor():
    olds = [old for unit in vn_provinces.NEW_UNITS for old in unit[3]]
    assert len(olds) == 63 == len(set(olds))
    assert vn_provinces.NAME_BY_CODE[vn_provinces.SUCCESSOR_BY_OLD_CODE["VN-57"]] == "TP Hồ Chí Minh"  # Bình Dương
    assert vn_provinces.NAME_BY_CODE[vn_provinces.SUCCESSOR_BY_OLD_CODE["VN-27"]] == "TP Đà Nẵng"  # Quảng Nam
    assert vn_provinces.NAME_BY_CODE[vn_provinces.SUCCESSOR_BY_OLD_CODE["VN-03"]] == "Tuyên Quang"  # Hà Giang
    assert vn_provinces.NAME_BY_CODE[vn_provinces.SUCCESSOR_BY_OLD_CODE["VN-HN"]] == "TP Hà Nội"


@pytest.mark.parametrize(("number", "gender", "year", "kind"), [
    ("001090012345", "male", 1990, "cccd"),
    ("079 185 001234", "female", 1985, "cccd"),
    ("001303012345", "female", 2003, "cccd"),
    ("001203012345", None, None, "cccd"),
    ("123456789", "male", 1960, "cmnd"),
])
def test_valid_ids(number, gender, year, kind):
    assert citizen_id.check(number, gender, year) == (kind, None)


@pytest.mark.parametrize(("number", "gender", "year", "placeholder"), [
    ("00109001234", None, None, {"count": 11}),
    ("0010900123a5", None, None, {}),
    ("003090012345", None, None, {"code": "003"}),
    ("097090012345", None, None, {"code": "097"}),
    ("001090012345", "female", None, {"digit": 0}),
    ("001190012345", "male", None, {"digit": 1}),
    ("001090012345", "male", 1991, {"id_year": 1990, "year": 1991}),
    ("001290012345", "male", 1990, {"id_year": 2090, "year": 1990}),
])
def test_invalid_ids_say_why(number, gender, year, placeholder):
    kind, (message, params) = citizen_id.check(number, gender, year)
    assert kind is None
    assert params == placeholder
    assert message % params if params else message


def test_birth_year_from_a_cccd():
    assert citizen_id.birth_year("001185012345") == 1985
    assert citizen_id.birth_year("001405012345") == 2105
    assert citizen_id.birth_year("001305012345") == 2005
    assert citizen_id.birth_year("123456789") is None


def test_vietqr_published_example():
    assert vietqr.payload("970415", "0011001932418", 120000, "ung ho lu lut") == PUBLISHED_EXAMPLE


def test_vietqr_read_back():
    text = vietqr.payload("970436", "1234567890", 1_500_000_000, "HD 2026 0042")
    fields = vietqr.parse(text)
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["38"]["00"] == "A000000727" and fields["38"]["02"] == "QRIBFTTA"
    assert fields["38"]["01"] == {"00": "970436", "01": "1234567890"}
    assert (fields["53"], fields["54"], fields["58"]) == ("704", "1500000000", "VN")
    assert fields["62"] == {"08": "HD 2026 0042"}


def test_vietqr_without_amount_is_static():
    assert vietqr.parse(vietqr.payload("970415", "0011001932418"))["01"] == "11"


def test_vietqr_refuses_a_wrong_checksum_and_bad_input():
    with pytest.raises(ValueError):
        vietqr.parse(PUBLISHED_EXAMPLE[:-1] + "D")
    with pytest.raises(ValueError):
        vietqr.payload("97041", "0011001932418", 1000)
    with pytest.raises(ValueError):
        vietqr.payload("970415", "0011-00193", 1000)
    with pytest.raises(ValueError):
        vietqr.payload("970415", "0011001932418", 1000.5)


def test_vietqr_purpose_is_what_banks_accept():
    assert vietqr.clean_purpose("HĐ/2026-0042 (gốc)") == "H 2026 0042 g c"


@pytest.mark.parametrize("typed", ["Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", "tp ho chi minh", "Hồ Chí Minh",
                                   "HỒ CHÍ MINH"])
def test_province_names_as_typed_share_one_key(typed):
    assert vn_provinces.name_key(typed) == vn_provinces.name_key("TP Hồ Chí Minh") == "hochiminh"


def test_province_key_of_old_names():
    assert vn_provinces.name_key("Thừa Thiên - Huế") == "thuathienhue"
    assert vn_provinces.name_key("Tỉnh Đắk Lắk") == "daklak"
    assert vn_provinces.name_key("Bà Rịa - Vũng Tàu") == "bariavungtau"


def test_province_keys_fold_accents_as_the_sms_text_does():
    # name_key strips accents with vn_text.strip_diacritics: one folding for the whole addon
    keys = {vn_provinces.name_key(name) for name in vn_provinces.NAME_BY_CODE.values()}
    assert len(keys) == len(vn_provinces.NEW_UNITS), "34 units, 34 keys"
    assert all(key.isascii() and key.isalpha() for key in keys)
    decomposed = unicodedata.normalize("NFD", "Thành phố Đà Nẵng")  # as some keyboards send it
    assert vn_provinces.name_key(decomposed) == vn_provinces.name_key("ĐÀ NẴNG") == "danang"
    assert vn_provinces.name_key(None) == vn_provinces.name_key("") == ""
