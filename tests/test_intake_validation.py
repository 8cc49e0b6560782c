"""Input rules of the intake API, without Odoo."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import intake_validation as iv


def lead(**values):
    clean, errors = iv.validate_lead(values)
    return clean, errors.codes


# ---------------------------------------------------------------- parse_body
def test_parse_json_object():
    assert iv.parse_body(b'{"name": "Lan"}', "application/json; charset=utf-8") == {"name": "Lan"}


def test_parse_without_content_type_is_json():
    assert iv.parse_body('{"name": "Hà"}'.encode(), None) == {"name": "Hà"}


def test_parse_form_keeps_first_value_and_decodes_utf8():
    body = "name=Ng%C3%B4+Lan&name=other&phone=0903+222+333".encode()
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


# ---------------------------------------------------------------- leads
def test_valid_lead_is_normalised():
    clean, codes = lead(
        name="  Phạm   Quốc Bảo ", phone="0912 345 678", email="Bao@Example.VN", gender="Nữ",
        interest="INVEST", amount="50.000.000", note=" Gọi sau 18h ", utm_source="facebook",
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


@pytest.mark.parametrize("phone", ["0912 345 678", "+84912345678", "84912345678", "(+84) 912.345.678"])
def test_same_number_in_any_format_gives_one_e164(phone):
    assert lead(name="A", phone=phone)[0]["phone"] == "+84912345678"


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
    assert "12345" in errors.messages["phone"]


@pytest.mark.parametrize("email", ["a@", "a b@example.vn", "@example.vn", "a@example", "a@@example.vn"])
def test_invalid_email(email):
    assert lead(name="A", email=email)[1] == {"email": "invalid"}


def test_unknown_interest_and_gender():
    codes = lead(name="A", email="a@example.vn", interest="lottery", gender="robot")[1]
    assert codes == {"interest": "invalid", "gender": "invalid"}


@pytest.mark.parametrize(
    "amount, code",
    [(-1, "negative"), ("-5", "negative"), (-0.5, "negative"), (1.5, "wrong_type"), ("nhiều", "wrong_type"),
     (True, "wrong_type"), ([1], "wrong_type"), (float("nan"), "wrong_type"), (10**16, "too_large")],
)
def test_bad_amounts(amount, code):
    assert lead(name="A", email="a@example.vn", amount=amount)[1] == {"amount": code}


@pytest.mark.parametrize("amount, value", [(0, 0), (1000000, 1000000), (2e6, 2000000), ("1,500,000", 1500000),
                                            ("2500000", 2500000), ("", None)])
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
    assert lead(name="A" * 201, email="a@example.vn")[1] == {"name": "too_long"}
    assert lead(name="A", email="a@example.vn", note="x" * 5001)[1] == {"note": "too_long"}


def test_messages_are_vietnamese():
    _clean, errors = iv.validate_lead({})
    assert errors.messages["name"] == "Trường này là bắt buộc."
    assert "số điện thoại hoặc email" in errors.messages["contact"]


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


def test_pbx_caller_as_number():
    assert iv.validate_pbx({"caller": 84912345678})[0]["caller"] == "+84912345678"


@pytest.mark.parametrize("caller, code", [(None, "required"), ("", "required"), ("anonymous", "invalid"),
                                          ("Unknown", "invalid"), ("123", "invalid"), (["0912"], "wrong_type"),
                                          ("0" * 50, "invalid")])
def test_pbx_bad_callers(caller, code):
    assert iv.validate_pbx({"caller": caller})[1].codes == {"caller": code}


def test_pbx_call_id_too_long():
    assert iv.validate_pbx({"caller": "0912345678", "call_id": "x" * 129})[1].codes == {"call_id": "too_long"}
