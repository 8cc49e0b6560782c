"""The eSMS adapter of PI's SMS gateway: request body, answer codes, phones, reports."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests

from sms_esms import EsmsAdapter, GatewayUnreachable, ReportError

UUID = "0123456789abcdef0123456789abcdef"


def adapter(**kwargs):
    values = {"endpoint": "https://rest.esms.vn/", "api_key": "AK", "secret_key": "SK", "brandname": "PASSION"}
    values.update(kwargs)
    return EsmsAdapter(**values)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+84912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(+84) 912.345.678", "0912345678"),
        ("+33612345678", None),
        ("12", None),
        ("", None),
        (None, None),
    ],
)
def test_phone_in_national_form(number, expected):
    assert EsmsAdapter.format_phone(number) == expected


def test_text_without_diacritics_unless_unicode():
    assert adapter().format_text("Chúc mừng sinh nhật Anh Đức") == "Chuc mung sinh nhat Anh Duc"
    assert adapter(unicode=True).format_text("Chúc mừng") == "Chúc mừng"
    assert adapter().format_text(False) == ""


def test_request_body():
    body = adapter(sandbox=True).build_request("0912345678", "Xin chao", UUID, "https://pi.vn/pi/sms/dlr/t")
    assert body == {
        "ApiKey": "AK",
        "SecretKey": "SK",
        "Phone": "0912345678",
        "Content": "Xin chao",
        "Brandname": "PASSION",
        "SmsType": "2",
        "IsUnicode": "0",
        "Sandbox": "1",
        "RequestId": UUID,
        "CallbackUrl": "https://pi.vn/pi/sms/dlr/t",
    }
    assert adapter(unicode=True, sms_type="1").build_request("09", "x", UUID)["IsUnicode"] == "1"
    assert adapter().send_url == "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    assert EsmsAdapter(endpoint="", api_key="", secret_key="").endpoint == "https://rest.esms.vn"


@pytest.mark.parametrize(
    ("code", "state", "failure_type", "reason"),
    [
        ("100", "pending", False, False),
        ("124", "pending", False, False),
        ("108", "error", "sms_number_format", "number_format"),
        ("99", "error", "sms_blacklist", "blocked"),
        ("101", "error", "sms_acc", "credentials"),
        ("104", "error", "sms_acc", "brandname"),
        ("140", "error", "sms_acc", "ip_not_allowed"),
        ("103", "error", "sms_credit", "credit"),
        ("146", "error", "sms_server", "template_not_registered"),
        ("177", "error", "sms_server", "other"),
        ("", "error", "sms_server", "other"),
    ],
)
def test_answer_codes(code, state, failure_type, reason):
    outcome = adapter().parse_answer({"CodeResult": code, "SMSID": "ab-12"})
    assert (outcome.state, outcome.failure_type, outcome.reason, outcome.provider_ref) == (
        state, failure_type, reason, "ab-12"
    )


def test_answer_code_as_number():
    assert adapter().parse_answer({"CodeResult": 100}).state == "pending"


def test_answer_not_an_object():
    with pytest.raises(GatewayUnreachable):
        adapter().parse_answer(["100"])


def test_report():
    report = adapter().parse_report({"RequestId": UUID.upper(), "SendStatus": "5", "SMSID": "X1",
                                     "phonenumber": "0912"})
    assert report == (UUID, "X1", "delivered", "0912")
    assert adapter().parse_report({"RequestId": UUID, "SendStatus": "4"}).status == "failed"
    assert adapter().parse_report({"RequestId": UUID, "SendStatus": "7"}).status == "pending"
    assert adapter().parse_report({"RequestId": UUID, "SendStatus": "2"}).status == "pending"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"SendStatus": "5"},
        {"RequestId": "1 OR 1=1", "SendStatus": "5"},
        {"RequestId": UUID},
        {"RequestId": UUID, "SendStatus": "five"},
        {"RequestId": UUID, "SendStatus": "5", "SMSID": "<script>"},
    ],
)
def test_bad_report(params):
    with pytest.raises(ReportError):
        adapter().parse_report(params)


class _Gateway(BaseHTTPRequestHandler):
    answer = b'{"CodeResult": "100", "SMSID": "s1"}'
    status = 200
    received = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers["Content-Length"])
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    _Gateway.received = []
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_send_over_http(gateway):
    sender = adapter(endpoint=f"http://127.0.0.1:{gateway.server_port}", timeout=5)
    outcome = sender.send(requests.Session(), "0912345678", "Xin chao", UUID, "cb")
    assert outcome.state == "pending"
    assert outcome.provider_ref == "s1"
    assert _Gateway.received == [sender.build_request("0912345678", "Xin chao", UUID, "cb")]


def test_server_error_and_refused_connection_are_unreachable(gateway, monkeypatch):
    monkeypatch.setattr(_Gateway, "status", 502)
    sender = adapter(endpoint=f"http://127.0.0.1:{gateway.server_port}", timeout=5)
    with pytest.raises(GatewayUnreachable):
        sender.send(requests.Session(), "0912345678", "x", UUID)
    monkeypatch.setattr(_Gateway, "status", 200)
    monkeypatch.setattr(_Gateway, "answer", b"<html>maintenance</html>")
    with pytest.raises(GatewayUnreachable):
        sender.send(requests.Session(), "0912345678", "x", UUID)
    closed = adapter(endpoint="http://127.0.0.1:9", timeout=2)
    with pytest.raises(GatewayUnreachable):
        closed.send(requests.Session(), "0912345678", "x", UUID)
