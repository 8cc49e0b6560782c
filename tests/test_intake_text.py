"""What the intake API writes for staff (``pi_crm/tools/intake_text.py``)."""

import intake_text as it
import intake_validation as iv

TITLES = {"invest": "Đăng ký đầu tư: %(name)s", "newsletter": "Nhận bản tin: %(name)s", "website": "Website: %(name)s"}
LABELS = {field: field.upper() for field in it.SUMMARY_FIELDS}


def test_lead_title_follows_the_interest():
    assert it.lead_title("invest", "Lan", TITLES) == "Đăng ký đầu tư: Lan"
    assert it.lead_title("newsletter", "Lan", TITLES) == "Nhận bản tin: Lan"
    for other in (None, "", "lottery"):
        assert it.lead_title(other, "Lan", TITLES) == "Website: Lan"


def test_every_interest_the_api_accepts_has_its_own_title():
    assert set(iv.INTERESTS) == set(it.LEAD_KINDS)


def test_summary_rows_keep_the_fields_with_a_value_in_order():
    clean, errors = iv.validate_lead({"note": "Gọi sau 18h", "email": "lan@example.vn", "name": "Lan", "phone": ""})
    assert not errors
    assert it.summary_rows(clean, LABELS) == [("NAME", "Lan"), ("EMAIL", "lan@example.vn"), ("NOTE", "Gọi sau 18h")]


def test_summary_shows_every_field_the_api_accepts():
    clean, _errors = iv.validate_lead({"name": "Lan", "email": "lan@example.vn"})
    assert set(it.SUMMARY_FIELDS) == set(clean)


def test_summary_rows_use_the_formatters_and_skip_unlabelled_fields():
    clean = {"name": "Lan", "amount": 50_000_000, "gender": "female", "interest": None, "note": "x"}
    rows = it.summary_rows(
        clean,
        {"name": "Tên", "amount": "Số tiền", "gender": "Giới tính"},
        {"amount": lambda value: f"{value} đồng", "gender": {"female": "Nữ"}.get},
    )
    assert rows == [("Tên", "Lan"), ("Giới tính", "Nữ"), ("Số tiền", "50000000 đồng")]


def test_call_summary_names_only_what_the_switchboard_sent():
    texts = {"caller": "Call from %(caller)s", "called": " to %(line)s", "call_id": " (#%(call)s)"}
    assert it.call_summary("0912 345 678", texts=texts) == "Call from 0912 345 678"
    assert it.call_summary("0912 345 678", "1900", "c-1", texts=texts) == "Call from 0912 345 678 to 1900 (#c-1)"
    assert it.call_summary("0912 345 678", "", "c-1", texts=texts) == "Call from 0912 345 678 (#c-1)"
