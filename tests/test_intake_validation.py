"""Input rules of the intake API, without Odoo."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import intake_validation as iv
import vn_phone


def lead(**values):
    clean, errors = iv.validate_lead(values)
    return clean, errors.codes


# ---------------------------------------------------------------- parse_body
def test_parse_json_object():
    assert iv.parse_body(b'{"name": "Lan"}', "application/json; charset=utf-8") == {"name": "Lan"}


def test_parse_without_content_type_is_json():
    assert iv.parse_body('{"name": "Hà"}'.encode(), None) == {"name": "Hà"}


def test_parse_form_keeps_first_value_and_decodes_utf8():
    body = b"name=Ng%C3%B4+Lan&name=other&phone=0903+222+333"
    assert iv.parse_body(body, "application/x-www-form-urlencoded") == {"name": "Ngô Lan", "phone": "0903 222 333"}


@pytest.mark.parametrize("raw", [b"{oops", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_parse_rejects_what_is_not_an_object(raw):
    with pytest.raises(iv.BodyError) as info:
        iv.parse_body(raw, "application/json")
    assert info.value.code == "invalid_body"


def test_parse_rejects_other_media_types():
    with pytest.raises(iv.BodyError) as info:
        iv.parse_body(b"name=x", "text/plain")
    assert info.value.code == "unsupported_media_type"
    assert info.value.message == iv.ERROR_MESSAGES["unsupported_media_type"]


# ---------------------------------------------------------------- leads
def test_valid_lead_is_normalised():
    clean, codes = lead(
        name="  Phạm   Quốc Bảo ", phone="0912 345 678", email="Bao@Example.VN", gender="nữ",
        interest="invest", amount="50.000.000", note=" Gọi sau 18h ", utm_source="facebook",
    )
    assert codes == {}
    assert clean["name"] == "Phạm Quốc Bảo"
    assert clean["phone"] == "+84912345678"
    assert clean["email"] == "Bao@example.vn"
    assert clean["gender"] == "female"
    assert clean["interest"] == "invest"
    assert clean["amount"] == 50_000_000
    assert clean["note"] == "Gọi sau 18h"
    assert clean["utm_source"] == "facebook"
    assert clean["utm_medium"] is None


@pytest.mark.parametrize(
    "phone", ["0912 345 678", "+84912345678", "84912345678", "(+84) 912.345.678", "0912-345-678", " 912345678 "]
)
def test_same_number_in_any_format_gives_one_e164(phone):
    assert lead(name="A", phone=phone)[0]["phone"] == "+84912345678"


@pytest.mark.parametrize("phone, e164", [("(028) 3822 1234", "+842838221234"), ("024 3771 9001", "+842437719001"),
                                         ("+33 6 12 34 56 78", "+33612345678"), ("0033612345678", "+33612345678")])
def test_landlines_and_foreign_numbers(phone, e164):
    assert lead(name="A", phone=phone)[0]["phone"] == e164


@pytest.mark.parametrize("phone", ["12345", "0100 000 000", "+84 1900 1234", "0912 345 6789", "0912345678x",
                                   "+8 4912345678", "0912 -- 345 678"])
def test_what_is_not_a_number_of_the_plan_is_refused(phone):
    assert lead(name="A", phone=phone)[1] == {"phone": "invalid"}


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.from_regex(iv.PHONE_PATTERN, fullmatch=True))
def test_every_number_the_pattern_accepts_is_valid(text):
    """PHONE_PATTERN (the OpenAPI file's) admits only numbers phonenumbers
    finds valid, normalised as the rest of PI normalises them."""
    e164 = iv.normalize_phone(text)
    if e164.startswith("+84"):
        assert vn_phone.normalize_phone(text) == e164
    else:  # another country: taken as given
        assert re.fullmatch(r"\+[1-9][0-9]{5,14}", e164)


def test_email_alone_is_enough():
    assert lead(name="A", email="a@example.vn")[1] == {}


def test_missing_name():
    assert lead(phone="0912345678")[1] == {"name": "required"}
    assert lead(name="   ", phone="0912345678")[1] == {"name": "required"}


def test_no_contact_at_all():
    assert lead(name="A")[1] == {"contact": "required"}
    assert lead(name="A", phone="  ", email="")[1] == {"contact": "required"}


def test_invalid_phone_reports_phone_not_contact():
    clean, errors = iv.validate_lead({"name": "A", "phone": "12345"})
    assert errors.codes == {"phone": "invalid"}
    assert errors.messages["phone"].startswith('The phone number "12345" is not a valid number.')


@pytest.mark.parametrize("email", ["a@", "a b@example.vn", "@example.vn", "a@example", "a@@example.vn", "a\x01@b.vn"])
def test_invalid_email(email):
    assert lead(name="A", email=email)[1] == {"email": "invalid"}


def test_unknown_interest_and_gender():
    codes = lead(name="A", email="a@example.vn", interest="lottery", gender="robot")[1]
    assert codes == {"interest": "invalid", "gender": "invalid"}


def test_choices_are_taken_as_written():
    """The file lists the values: "INVEST" or "Nữ" are not among them."""
    assert lead(name="A", email="a@example.vn", interest="INVEST", gender="Nữ")[1] == {
        "interest": "invalid", "gender": "invalid"
    }
    assert lead(name="A", email="a@example.vn", interest="", gender=None)[0]["gender"] is None


@pytest.mark.parametrize(
    "amount, code",
    [(-1, "negative"), ("-5", "negative"), (-0.5, "negative"), (1.5, "wrong_type"), ("nhiều", "wrong_type"),
     (True, "wrong_type"), ([1], "wrong_type"), (float("nan"), "wrong_type"), (iv.MAX_AMOUNT + 1, "too_large"),
     ("1" * (len(str(iv.MAX_AMOUNT)) + 1), "wrong_type"), (" 5", "wrong_type"), ("１２３", "wrong_type")],
)
def test_bad_amounts(amount, code):
    assert lead(name="A", email="a@example.vn", amount=amount)[1] == {"amount": code}


@pytest.mark.parametrize("amount, value", [(0, 0), (1000000, 1000000), (2e6, 2000000), ("1,500,000", 1500000),
                                            ("2500000", 2500000), ("", None), (None, None),
                                            (str(iv.MAX_AMOUNT), iv.MAX_AMOUNT)])
def test_good_amounts(amount, value):
    clean, codes = lead(name="A", email="a@example.vn", amount=amount)
    assert codes == {}
    assert clean["amount"] == value


@pytest.mark.parametrize("field", ["name", "email", "note", "utm_source", "interest"])
def test_wrong_types(field):
    values = {"name": "A", "email": "a@example.vn", field: {"nested": 1}}
    assert lead(**values)[1][field] == "wrong_type"


def test_phone_as_number_is_a_wrong_type():
    # 0912345678 as a JSON number loses its leading zero: refuse rather than guess
    assert lead(name="A", phone=912345678)[1] == {"phone": "wrong_type"}


def test_too_long_values():
    assert lead(name="A" * (iv.MAX_NAME + 1), email="a@example.vn")[1] == {"name": "too_long"}
    assert lead(name="A" * iv.MAX_NAME, email="a@example.vn")[1] == {}
    assert lead(name="A", email="a@example.vn", note="x" * (iv.MAX_NOTE + 1))[1] == {"note": "too_long"}
    # the length is the one sent, as the OpenAPI file's maxLength counts it
    assert lead(name="A" + " " * iv.MAX_NAME, email="a@example.vn")[1] == {"name": "too_long"}


@pytest.mark.parametrize("field", ["name", "phone", "email", "note", "utm_source", "utm_medium", "utm_campaign"])
def test_nul_character_is_refused_before_any_sql(field):
    values = {"name": "A", "email": "a@example.vn", field: "x\x00y"}
    assert lead(**values)[1][field] in ("invalid_character", "invalid")


def test_null_and_blank_optional_fields_mean_not_given():
    clean, codes = lead(name="A", email="a@example.vn", phone=None, utm_campaign=None, note="  ", gender="")
    assert codes == {}
    assert (clean["phone"], clean["utm_campaign"], clean["note"], clean["gender"]) == (None, None, None, None)


def test_errors_give_codes_and_english_msgids_with_named_placeholders():
    """The controller translates ``message`` with ``params``; ``messages`` is the English text."""
    _clean, errors = iv.validate_lead({"name": "A" * (iv.MAX_NAME + 1), "email": "a@", "amount": "-1"})
    assert errors.items == {
        "name": {"code": "too_long", "field": "name", "message": "At most %(max)s characters.",
                 "params": {"max": iv.MAX_NAME}},
        "email": {"code": "invalid", "field": "email", "message": 'The email address "%(email)s" is not valid.',
                  "params": {"email": "a@"}},
        "amount": {"code": "negative", "field": "amount", "message": "The amount cannot be negative.", "params": {}},
    }
    assert errors.messages == {
        "name": f"At most {iv.MAX_NAME} characters.",
        "email": 'The email address "a@" is not valid.',
        "amount": "The amount cannot be negative.",
    }
    _clean, errors = iv.validate_lead({})
    assert errors.codes == {"name": "required", "contact": "required"}
    assert errors.messages == {
        "name": "This field is required.",
        "contact": "A phone number or an email address is needed to get in touch.",
    }


def test_translated_messages_go_through_the_given_function():
    _clean, errors = iv.validate_pbx({"caller": "0" * 50})
    assert errors.translated(lambda message, params: (message, params)) == {
        "caller": ("At most %(max)s characters.", {"max": iv.MAX_PHONE})
    }


def test_every_error_code_has_a_message():
    assert set(iv.ERROR_MESSAGES) == set(iv.ERROR_STATUSES)
    assert iv.format_message(iv.ERROR_MESSAGES["missing_key"], {"header": "X-PI-Key"}) == (
        "The integration key is missing (header X-PI-Key)."
    )


def test_unknown_fields_are_ignored():
    assert lead(name="A", email="a@example.vn", submit="Gửi", website="x")[1] == {}


@given(st.dictionaries(st.text(max_size=12), st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                                                      st.text(max_size=30), st.lists(st.integers(), max_size=2))))
def test_any_json_object_gives_a_verdict(data):
    """Whatever a client sends, validation answers with values or errors and never raises."""
    clean, errors = iv.validate_lead(data)
    assert errors or clean["name"]
    json.dumps(errors.messages)


# ---------------------------------------------------------------- PBX
def test_pbx_caller_normalised():
    clean, errors = iv.validate_pbx({"caller": "0912.345.678", "called": "1900 1234", "call_id": 77})
    assert not errors
    assert clean == {"caller": "+84912345678", "called": "1900 1234", "call_id": "77"}


def test_pbx_caller_as_number_is_a_wrong_type():
    # a JSON number loses a leading zero, as for the website's phone
    assert iv.validate_pbx({"caller": 84912345678})[1].codes == {"caller": "wrong_type"}


@pytest.mark.parametrize("caller, code", [(None, "required"), ("", "required"), (" ", "required"),
                                          ("anonymous", "invalid"), ("Unknown", "invalid"), ("123", "invalid"),
                                          (["0912"], "wrong_type"), ("0" * 50, "too_long"),
                                          ("0912\x00345678", "invalid_character")])
def test_pbx_bad_callers(caller, code):
    assert iv.validate_pbx({"caller": caller})[1].codes == {"caller": code}


def test_pbx_call_id_too_long():
    assert iv.validate_pbx({"caller": "0912345678", "call_id": "x" * 129})[1].codes == {"call_id": "too_long"}


@pytest.mark.parametrize("field", ["called", "call_id"])
def test_pbx_nul_in_called_or_call_id_is_refused(field):
    assert iv.validate_pbx({"caller": "0912345678", field: "1\x002"})[1].codes == {field: "invalid_character"}


@pytest.mark.parametrize("value, code", [(-1, "invalid"), (iv.MAX_INTEGER_ID + 1, "invalid"), (True, "wrong_type"),
                                         (1.0, "wrong_type")])
def test_pbx_numeric_ids_are_whole_64_bit_numbers(value, code):
    assert iv.validate_pbx({"caller": "0912345678", "call_id": value})[1].codes == {"call_id": code}
    assert (iv.validate_pbx({"caller": "0912345678", "call_id": iv.MAX_INTEGER_ID})[0]["call_id"]
            == str(iv.MAX_INTEGER_ID))


# ---------------------------------------------------------------- body
DEPTH = iv.MAX_JSON_DEPTH + 1


@pytest.mark.parametrize("raw", [b"[" * 20000, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
                                 b'{"a": ' + b"[" * DEPTH + b"1" + b"]" * DEPTH + b"}"])
def test_json_nested_too_deep_is_refused_before_decoding(raw):
    with pytest.raises(iv.BodyError) as info:
        iv.parse_body(raw, "application/json")
    assert info.value.code == "invalid_body"
    assert (info.value.message, info.value.params) == (
        "The JSON body is nested more than %(levels)s levels deep.", {"levels": iv.MAX_JSON_DEPTH}
    )
    assert str(info.value) == f"The JSON body is nested more than {iv.MAX_JSON_DEPTH} levels deep."


def test_json_nesting_within_the_limit_and_brackets_in_strings():
    assert iv.parse_body(b'{"a": [[1]], "b": "' + b"[" * 100 + b'"}', "application/json")["a"] == [[1]]
    assert not iv.json_depth_exceeds('{"a": "\\"' + "[" * 50 + '"}')


@pytest.mark.parametrize("raw", [b'{"name": "\\ud800"}', b'{"\\udfff": 1}', b'{"a": ["\\ud83d"]}'])
def test_lone_surrogate_is_refused(raw):
    with pytest.raises(iv.BodyError):
        iv.parse_body(raw, "application/json")


def test_surrogate_pair_is_a_character():
    assert iv.parse_body(b'{"name": "\\ud83d\\ude00"}', "application/json") == {"name": "\U0001F600"}


@pytest.mark.parametrize("raw", [b"name=%ED%A0%80", b"name=%FF", b"name=\xff"])
def test_form_that_is_not_utf8_is_refused(raw):
    with pytest.raises(iv.BodyError):
        iv.parse_body(raw, "application/x-www-form-urlencoded")


def test_log_text_is_storable():
    assert iv.clean_log_text("1.2.3.4\x00\ud800" + "x" * 300, max_len=255) == "1.2.3.4\ufffd" + "x" * 247
    assert iv.clean_log_text(None) is None
