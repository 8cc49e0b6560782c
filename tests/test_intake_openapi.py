"""The OpenAPI description of the intake API stays in step with the code.

Besides the names, limits and codes, the request schemas of the file and the
validation functions must accept exactly the same bodies: generated bodies are
checked against both, with the JSON Schema engine OpenAPI tools use
(``jsonschema_rs``, as schemathesis), so a pattern read differently by Python
and by the tools shows up here. The Odoo suite runs schemathesis itself
against a running server (``pi_crm/tests/test_intake_schemathesis.py``).
"""

import pathlib

import jsonschema_rs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import intake_validation as iv

ADDON = pathlib.Path(__file__).resolve().parent.parent / "addons" / "pi_crm"
SPEC = yaml.safe_load((ADDON / "static" / "openapi" / "pi_intake_v1.yaml").read_text(encoding="utf-8"))
SCHEMAS = SPEC["components"]["schemas"]
ANNOTATIONS = {"description", "example", "examples"}


# The routes and methods are compared with the running server's routing map by
# pi_crm/tests/test_intake_openapi_routes.py (an Odoo test).


def test_every_status_the_api_answers_is_documented():
    errors = set(iv.ERROR_STATUSES.values()) | {iv.FIELD_ERROR_STATUS}
    for path, item in SPEC["paths"].items():
        documented = {int(code) for code in item["post"]["responses"]}
        assert errors <= documented, path
        assert 200 in documented and all(200 <= code < 300 for code in documented - errors), path


def test_every_error_code_is_documented():
    assert set(iv.ERROR_STATUSES) == set(SCHEMAS["Error"]["properties"]["error"]["enum"])
    field_codes = SCHEMAS["FieldErrors"]["properties"]["error_codes"]["additionalProperties"]["enum"]
    assert set(iv.FIELD_ERROR_CODES) == set(field_codes)


def test_an_undocumented_code_cannot_be_answered():
    for code, status in iv.ERROR_STATUSES.items():
        assert iv.error_status(code) == status
    assert iv.error_status(iv.FIELD_ERRORS_RESULT) == iv.FIELD_ERROR_STATUS
    with pytest.raises(ValueError):
        iv.error_status("not_documented")
    with pytest.raises(ValueError):
        iv.Errors().add("name", "not_documented", "")


def test_lead_fields_and_limits_match_validation():
    for schema_name in ("LeadSubmission", "LeadForm"):
        props = SCHEMAS[schema_name]["properties"]
        assert props["name"]["maxLength"] == iv.MAX_NAME
        assert props["name"]["pattern"] == iv.REQUIRED_TEXT_PATTERN
        assert props["note"]["maxLength"] == iv.MAX_NOTE
        assert props["email"]["maxLength"] == iv.MAX_EMAIL
        assert props["email"]["pattern"] == iv.EMAIL_PATTERN
        for field in ("utm_source", "utm_medium", "utm_campaign"):
            assert (props[field]["maxLength"], props[field]["pattern"]) == (iv.MAX_UTM, iv.TEXT_PATTERN)
        assert [value for value in props["interest"]["enum"] if value] == list(iv.INTERESTS)
        assert {value for value in props["gender"]["enum"] if value} == set(iv.GENDERS)
        clean, _errors = iv.validate_lead({"name": "A", "email": "a@example.vn"})
        assert set(props) == set(clean)
    amount = SCHEMAS["LeadSubmission"]["properties"]["amount"]["oneOf"]
    assert amount[0]["maximum"] == iv.MAX_AMOUNT
    assert amount[1]["pattern"] == SCHEMAS["LeadForm"]["properties"]["amount"]["pattern"] == iv.AMOUNT_TEXT_PATTERN
    assert SCHEMAS["PhoneNumber"]["pattern"] == iv.PHONE_PATTERN
    assert SCHEMAS["PhoneNumber"]["maxLength"] == iv.MAX_PHONE


def test_body_limit_is_the_documented_one():
    description = SPEC["components"]["responses"]["TooLarge"]["description"]
    assert f"{iv.MAX_BODY_BYTES // 1024} KB ({iv.MAX_BODY_BYTES} bytes)" in description
    assert f"nested at most {iv.MAX_JSON_DEPTH} levels" in " ".join(SPEC["info"]["description"].split())


# ------------------------------------------------ same verdict, file and code
def to_json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: references inlined, ``nullable`` as null allowed."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return to_json_schema(SCHEMAS[node["$ref"].rsplit("/", 1)[1]])
    schema = {key: to_json_schema(value) for key, value in node.items() if key not in ANNOTATIONS | {"nullable"}}
    if node.get("nullable"):
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def validator(name):
    return jsonschema_rs.Draft4Validator(to_json_schema(SCHEMAS[name]))


LEAD_JSON, LEAD_FORM = validator("LeadSubmission"), validator("LeadForm")
CALL_JSON, CALL_FORM = validator("IncomingCall"), validator("IncomingCallForm")

AMOUNT_DIGITS = len(str(iv.MAX_AMOUNT))
WHITESPACE = st.text(alphabet=" \t\n\r\f\v\x1f\x85\xa0\u3000\ufeff", max_size=5)
# Numbers as people write them (drawing from PHONE_PATTERN itself is slow: it is long).
phones = st.one_of(
    st.builds(
        lambda prefix, digits, separators: prefix + "".join(
            digit + separator for digit, separator in zip(digits, separators, strict=False)
        ),
        st.sampled_from(["", "0", "84", "+84", "+84 ", "(+84) ", "(0", "00", "+", "+33 "]),
        st.from_regex(iv.VN_NATIONAL_NUMBER, fullmatch=True) | st.from_regex(r"[0-9]{1,16}", fullmatch=True),
        st.lists(st.sampled_from(["", "", "", " ", ".", "-", ") ", "--", "/"]), min_size=16, max_size=16),
    ),
    st.from_regex(r"(\+|00)[1-9][0-9]{4,15}", fullmatch=True),
)
texts = st.one_of(
    st.text(max_size=30), WHITESPACE, st.just(""), phones,
    st.builds("{}@{}.{}".format, st.text(max_size=6), st.text(max_size=6), st.text(max_size=4)),
    st.sampled_from(["0912 345 678", "12345", "+84 1900 1234", "anonymous", "a\x00b", "50.000.000", "1,5",
                     "male", "Nữ", "nữ", "INVEST", "invest", " invest", "-5", "123\n", "\n", "x" * (iv.MAX_NAME + 1),
                     "9" * (AMOUNT_DIGITS + 1), "a@b.cd", "a@@b.cd", "Lan", "  Lan  "]),
    st.builds(lambda text, pad: pad + text + pad, st.text(max_size=10), WHITESPACE),
)
json_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 5e6, 1.5, iv.MAX_AMOUNT + 1, iv.MAX_INTEGER_ID + 1]),
    texts, st.lists(st.integers(), max_size=2), st.just({"nested": 1}),
)
# Near misses of each field, drawn as often as any other value.
SPECIALS = {
    "name": ["", " ", "\t", "\x1f", "\u3000", "Lan", " Lan ", "a\x00", "x" * iv.MAX_NAME, "x" * (iv.MAX_NAME + 1), 42],
    "phone": [None, "", " ", "anonymous", 912345678, "0912 345 678", "(028) 3822 1234", " 0912345678\n",
              "x" * (iv.MAX_PHONE + 1)],
    "email": [None, "", "  ", "a@b.cd", "a@@b.cd", " a@b.cd ", "a b@c.de", "a@b.c", "A@EXAMPLE.VN", "a@b.cd\n",
              "a\x01@b.cd", "x" * iv.MAX_EMAIL + "@b.cd"],
    "gender": ["male", "Male", "MALE", " male", "nữ", "Nữ", "NỮ", "nu", "khác", "khac", "other", "", " ", "robot"],
    "interest": ["invest", "INVEST", "Invest ", "newsletter", "", " ", "lottery"],
    "amount": [0, 1, 5e6, 1.5, -1, -0.0, iv.MAX_AMOUNT, iv.MAX_AMOUNT + 1, float(iv.MAX_AMOUNT + 1), "50.000.000",
               "1,500,000", "1 000", "", " ", "\n", "123\n", "-5", "9" * AMOUNT_DIGITS, "9" * (AMOUNT_DIGITS + 1),
               "0" * (AMOUNT_DIGITS + 1), "1.5", True, "１２３"],
    "caller": [None, "", " ", "anonymous", "Unknown", 84912345678, "0912 345 678", "+33 6 12 34 56 78",
               "0" * (iv.MAX_PHONE + 1)],
    "called": [0, -1, iv.MAX_INTEGER_ID, iv.MAX_INTEGER_ID + 1, True, 1.0, "1900 1234", "a\x00", "", None,
               "x" * (iv.MAX_PHONE + 1)],
    "call_id": [0, -1, iv.MAX_INTEGER_ID, iv.MAX_INTEGER_ID + 1, True, 1.0, "1700000000.42", "a\x00", "", None,
                "x" * iv.MAX_CALL_ID, "x" * (iv.MAX_CALL_ID + 1)],
}
for field in ("note", "utm_source", "utm_medium", "utm_campaign"):
    SPECIALS[field] = ["", " ", "a\x00b", "%", "_", "x" * iv.MAX_UTM, "x" * (iv.MAX_UTM + 1), None, 5]
LEAD_FIELDS = ["name", "phone", "email", "gender", "interest", "amount", "note", "utm_source", "utm_medium",
               "utm_campaign"]
CALL_FIELDS = ["caller", "called", "call_id"]


LEAD_BASES = [{"name": "Lan", "email": "lan@example.vn"}, {"name": "Lan", "phone": "0912 345 678"}, {"name": "Lan"}]
CALL_BASES = [{"caller": "0912 345 678"}, {}]


def field_values(field, values, form):
    specials = [value for value in SPECIALS[field] if isinstance(value, str) or not form]
    return st.one_of(st.sampled_from(specials), values)


def bodies(fields, bases, values, form=False):
    """A valid (or nearly valid) body with one field changed, or any body."""
    one_field = st.builds(
        lambda base, field, draw: dict(base, **{field: draw}),
        st.sampled_from(bases),
        st.sampled_from(fields),
        values,
    )
    any_body = st.fixed_dictionaries(
        {}, optional={field: field_values(field, values, form) for field in fields} | {"extra": values}
    )
    return one_field | any_body


# (schema of the file, validation of the code, fields, nearly valid bodies, form-encoded)
CASES = {
    "lead-json": (LEAD_JSON, iv.validate_lead, LEAD_FIELDS, LEAD_BASES, False),
    "lead-form": (LEAD_FORM, iv.validate_lead, LEAD_FIELDS, LEAD_BASES, True),
    "call-json": (CALL_JSON, iv.validate_pbx, CALL_FIELDS, CALL_BASES, False),
    "call-form": (CALL_FORM, iv.validate_pbx, CALL_FIELDS, CALL_BASES, True),
}


def disagreement(case, body):
    """``None`` when the file and the code give ``body`` the same verdict."""
    schema, validate = CASES[case][:2]
    errors = validate(body)[1]
    return None if schema.is_valid(body) == (not errors) else (body, errors.codes)


@pytest.mark.parametrize("case", CASES)
def test_near_misses_get_the_same_verdict(case):
    _schema, _validate, fields, bases, form = CASES[case]
    bodies_ = [dict(base, **{field: value}) for base in bases for field in fields for value in SPECIALS[field]
               if isinstance(value, str) or not form]
    assert not [found for found in (disagreement(case, body) for body in bodies_) if found]


@pytest.mark.parametrize("case", CASES)
@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(data=st.data())
def test_generated_bodies_get_the_same_verdict(case, data):
    _schema, _validate, fields, bases, form = CASES[case]
    body = data.draw(bodies(fields, bases, texts if form else json_values, form=form))
    assert not disagreement(case, body)


@pytest.mark.parametrize("body", [
    {"name": "Lan", "phone": "0912 345 678"},
    {"name": "Lan", "email": "lan@example.vn", "phone": None, "gender": "", "amount": None},
    {"name": "Lan", "phone": "(028) 3822 1234", "amount": 5e6, "interest": "invest"},
])
def test_documented_examples_are_valid_for_both(body):
    assert LEAD_JSON.is_valid(body)
    assert not iv.validate_lead(body)[1]


def test_request_examples_of_the_file_are_accepted():
    for path, item in SPEC["paths"].items():
        example = item["post"]["requestBody"]["content"]["application/json"]["example"]
        validate = iv.validate_pbx if "pbx" in path else iv.validate_lead
        assert not validate(example)[1], path
