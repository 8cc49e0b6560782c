"""The OpenAPI description of the intake API stays in step with the code."""

import pathlib
import re

import yaml

import intake_validation as iv

ADDON = pathlib.Path(__file__).resolve().parent.parent / "addons" / "pi_crm"
SPEC = yaml.safe_load((ADDON / "static" / "openapi" / "pi_intake_v1.yaml").read_text(encoding="utf-8"))
CONTROLLER = (ADDON / "controllers" / "intake.py").read_text(encoding="utf-8")
SCHEMAS = SPEC["components"]["schemas"]


def test_paths_are_the_routes():
    routes = set(re.findall(r'@http\.route\(\s*"([^"]+)"', CONTROLLER))
    assert routes == set(SPEC["paths"])


def test_every_status_the_controller_answers_is_documented():
    statuses = {int(code) for code in re.findall(r"IntakeError\(\s*(\d{3})", CONTROLLER)} | {200, 201, 500}
    for path, item in SPEC["paths"].items():
        documented = {int(code) for code in item["post"]["responses"]}
        expected = statuses - ({201} if "pbx" in path else set())
        assert expected <= documented, path


def test_every_error_code_is_documented():
    codes = set(re.findall(r'IntakeError\(\s*\d{3},\s*"([a-z_]+)"', CONTROLLER)) | {"internal_error"}
    codes.discard("invalid")  # field errors travel in FieldErrors, not Error
    assert codes <= set(SCHEMAS["Error"]["properties"]["error"]["enum"])


def test_lead_fields_and_limits_match_validation():
    props = SCHEMAS["LeadSubmission"]["properties"]
    assert props["name"]["maxLength"] == iv.MAX_NAME
    assert props["note"]["maxLength"] == iv.MAX_NOTE
    assert props["email"]["maxLength"] == iv.MAX_EMAIL
    assert props["utm_source"]["maxLength"] == iv.MAX_UTM
    assert tuple(props["interest"]["enum"]) == iv.INTERESTS
    assert set(props["gender"]["enum"]) == set(iv.GENDERS)
    assert props["amount"]["oneOf"][0]["maximum"] == iv.MAX_AMOUNT
    clean, _errors = iv.validate_lead({"name": "A", "email": "a@example.vn"})
    assert set(props) == set(clean)


def test_body_limit_is_the_documented_one():
    assert iv.MAX_BODY_BYTES == 65536
    assert "65536" in SPEC["components"]["responses"]["TooLarge"]["description"]
