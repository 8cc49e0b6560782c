import pytest

from vn_amount_words import amount_to_words, number_to_words
from vn_names import family_name, given_name, salutation
from vn_phone import EMPTY, INVALID, PhoneNumberError, display_phone, normalize_phone, prepare, try_normalize_phone
from vn_text import strip_diacritics


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [("Nguyễn Văn Minh", "Minh"), ("  Trần   Thị  Lan ", "Lan"), ("Hùng", "Hùng"), ("", ""), (None, "")],
)
def test_given_name_is_the_last_word(full_name, expected):
    assert given_name(full_name) == expected


def test_family_name_is_the_first_word_of_a_full_name():
    assert family_name("Lê Hoàng Nam") == "Lê"
    assert family_name("Nam") == ""


@pytest.mark.parametrize(
    ("gender", "full_name", "expected"),
    [
        ("male", "Nguyễn Văn Minh", "Anh Minh"),
        ("female", "Trần Thị Lan", "Chị Lan"),
        ("other", "Phạm Minh Châu", "Quý khách"),
        (False, "Phạm Minh Châu", "Quý khách"),
        ("male", "", "Quý khách"),
    ],
)
def test_salutation_from_gender_and_given_name(gender, full_name, expected):
    assert salutation(gender, full_name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chúc mừng sinh nhật", "Chuc mung sinh nhat"),
        ("Đặng Đức Dũng", "Dang Duc Dung"),
        ("đồng", "dong"),
        ("Quý khách ƯU ĐÃI", "Quy khach UU DAI"),
        ("", ""),
    ],
)
def test_strip_diacritics_for_sms(text, expected):
    assert strip_diacritics(text) == expected


def test_stripped_text_is_plain_ascii():
    sample = "Thương, Hưởng, Nguyễn, Ỷ, Ậ, Ợ, Ữ, Ỹ, đĐ"
    assert strip_diacritics(sample).isascii()


@pytest.mark.parametrize(
    "raw", ["0912 345 678", "+84 912345678", "84912345678", "(+84) 912.345.678", "0912-345-678"]
)
def test_phone_formats_normalize_to_one_e164(raw):
    assert normalize_phone(raw) == "+84912345678"


def test_landline_and_foreign_numbers_keep_their_country():
    assert normalize_phone("028 3823 4567") == "+842838234567"
    assert normalize_phone("+1 650 253 0000") == "+16502530000"


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+84912345678", "0912 345 678"),
        ("+842437719001", "024 3771 9001"),
        ("+33612345678", "+33 6 12 34 56 78"),
        ("anonymous", "anonymous"),
        ("", ""),
    ],
)
def test_stored_numbers_display_the_vietnamese_way(e164, shown):
    assert display_phone(e164) == shown


@pytest.mark.parametrize(
    ("raw", "code"),
    [("", EMPTY), ("   ", EMPTY), ("12345", INVALID), ("0912 345", INVALID), ("abc", INVALID),
     ("+84 000 000 000", INVALID)],
)
def test_invalid_phone_raises_an_error_code(raw, code):
    """A code the models translate (pi.customer.mixin._pi_phone_error_message), no Vietnamese text."""
    with pytest.raises(PhoneNumberError) as error:
        normalize_phone(raw)
    assert error.value.code == code
    assert error.value.number == raw
    assert str(error.value).isascii()
    assert try_normalize_phone(raw) is None


@pytest.mark.parametrize(
    ("raw", "current"),
    [
        ("0168 123 4567", "+84381234567"),  # Viettel 0168 -> 038
        ("+84 168 123 4567", "+84381234567"),
        ("84 (168) 123.4567", "+84381234567"),
        ("0123.456.7890", "+84834567890"),  # VinaPhone 0123 -> 083
        ("0120-123-4567", "+84701234567"),  # MobiFone 0120 -> 070
        ("0199 123 4567", "+84591234567"),  # Gmobile 0199 -> 059
    ],
)
def test_old_eleven_digit_mobiles_get_their_current_prefix(raw, current):
    assert prepare(raw) == current
    assert normalize_phone(raw) == current


@pytest.mark.parametrize("raw", ["0912 345 678", "028 3823 4567", "01001234567", "+33 6 12 34 56 78", ""])
def test_the_pre_step_leaves_other_numbers_as_typed(raw):
    """Only the old prefixes are rewritten: the rest is for stock phone formatting."""
    assert prepare(raw) == raw.strip()


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1_000, "một nghìn"),
        (1_005, "một nghìn không trăm linh năm"),
        (1_000_050, "một triệu không trăm năm mươi"),
        (1_000_500, "một triệu năm trăm"),
        (2_000_000_000_000, "hai nghìn tỷ"),
        (1_000_000_001, "một tỷ không trăm linh một"),
        (-3, "âm ba"),
    ],
)
def test_number_to_words(number, expected):
    assert number_to_words(number) == expected


def test_amount_to_words_as_on_a_contract():
    assert amount_to_words(1_500_000_000) == "Một tỷ năm trăm triệu đồng"
    assert amount_to_words(250_000_000) == "Hai trăm năm mươi triệu đồng"
    assert amount_to_words(1_234_567) == (
        "Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng"
    )
    assert amount_to_words(0) == "Không đồng"
    assert amount_to_words(999.5) == "Một nghìn đồng"
