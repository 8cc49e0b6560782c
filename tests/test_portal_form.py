"""What the investor portal keeps of a posted form (pi_portal/tools/portal_form.py), without Odoo."""

import pytest

from portal_form import REQUEST_FORMS, ValueTooLong, clean_text, pick, pronoun


def test_pick_keeps_only_the_fields_of_the_form():
    post = {"phone": "0903 111 222", "email": "a@example.vn", "contract": "2", "partner": "48",
            "partner_id": "3", "kind": "contact_update", "bank_account": "123456", "zzz": "x"}
    assert pick(post, "contact_update") == {"phone": "0903 111 222", "email": "a@example.vn"}
    assert pick(post, "bank_update") == {"bank_account": "123456"}


def test_pick_drops_values_that_are_not_text():
    class Upload:  # what werkzeug gives for a file posted under a text field's name
        filename = "x.txt"

    assert pick({"note": Upload(), "desired_date": ["2026-12-31"], "street": None}, "renew") == {}
    assert pick({"street": Upload(), "city": "Hà Nội"}, "contact_update") == {"city": "Hà Nội"}


def test_pick_of_an_unknown_kind_keeps_nothing():
    assert pick({"note": "x"}, "wire_transfer") == {}


def test_every_form_allows_a_note():
    assert all(fields["note"] == 2000 for fields in REQUEST_FORMS.values())


@pytest.mark.parametrize(("raw", "clean"), [
    ("  Hà Nội  ", "Hà Nội"),
    ("Hà\x00 Nội", "Hà Nội"),
    ("a\x01\x1f\x7fb", "ab"),
    ("dòng 1\ndòng 2\ttab", "dòng 1\ndòng 2\ttab"),
    ("", ""),
    (None, ""),
    (12, ""),
])
def test_clean_text_removes_control_characters_and_spaces(raw, clean):
    assert clean_text(raw, "city", 128) == clean


def test_clean_text_refuses_a_value_over_the_limit():
    assert clean_text("x" * 128, "city", 128) == "x" * 128
    with pytest.raises(ValueTooLong) as error:
        clean_text("x" * 129, "city", 128)
    assert (error.value.field, error.value.max_length) == ("city", 128)
    # Spaces around do not count.
    assert clean_text(" " * 500 + "Huế" + " " * 500, "city", 3) == "Huế"


@pytest.mark.parametrize(("salutation", "word"), [
    ("Anh Hùng", "Anh"),
    ("Chị Mai", "Chị"),
    ("Quý khách", "Quý khách"),
    ("  Quý   khách ", "Quý khách"),
    ("", "Quý khách"),
    (None, "Quý khách"),
    ("Hùng", "Quý khách"),
])
def test_pronoun_follows_the_salutation(salutation, word):
    assert pronoun(salutation) == word
