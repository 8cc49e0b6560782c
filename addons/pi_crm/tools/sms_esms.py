"""eSMS.vn, the first provider of PI's own SMS gateway. Pure Python: imports nothing from odoo.

One class, :class:`EsmsAdapter`, knows everything that is eSMS's: the request
body, the answer codes, the phone form, the delivery-report parameters. The
Odoo side (``models/sms_sms.py``, ``models/pi_sms_provider.py``,
``controllers/sms_dlr.py``) only speaks in :class:`SendOutcome` and
:class:`DeliveryReport`, so a second provider (SpeedSMS, Stringee) is another
class with the same four methods.

eSMS API (public developer documentation): ``POST <endpoint>/MainService.svc/
json/SendMultipleMessage_V4_post_json/`` with a JSON body; the answer is JSON
``{"CodeResult": "100", "SMSID": "..."}`` when the message is accepted (not yet
delivered). ``RequestId`` is unique per message on eSMS's side: sending the
same one twice is refused with code 124, so a resend after a timeout can never
reach the phone twice.
"""

import re
from collections import namedtuple

import requests

try:  # flat import in the pure tests, package import inside the addon
    from .vn_phone import try_normalize_phone
    from .vn_text import strip_diacritics
except ImportError:
    from vn_phone import try_normalize_phone
    from vn_text import strip_diacritics

# What one send gave, in stock sms.sms terms: state "pending" (accepted by the
# gateway, "Sent" on screen), "error" with a stock failure_type, or "outgoing"
# (never reached the gateway: stays queued for the next run of the queue).
# ``reason`` is a key of REASONS (worded and translated on the Odoo side).
SendOutcome = namedtuple("SendOutcome", "state failure_type reason provider_ref code")

# A delivery report: ``status`` is "delivered", "failed" or "pending".
DeliveryReport = namedtuple("DeliveryReport", "request_id provider_ref status phone")

UUID_RE = re.compile(r"^[0-9a-f]{32}$")
PROVIDER_REF_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class GatewayUnreachable(Exception):
    """The gateway could not be reached or gave no answer one can read (network
    error, timeout, HTTP 5xx, not JSON): the message may or may not have left,
    so it stays queued and is retried with the same RequestId."""


class ReportError(ValueError):
    """A delivery report whose parameters are missing or malformed (HTTP 400)."""


class EsmsAdapter:
    """eSMS.vn: ``SendMultipleMessage_V4_post_json`` and its delivery reports."""

    code = "esms"
    DEFAULT_ENDPOINT = "https://rest.esms.vn"
    SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    SMS_TYPE_CUSTOMER_CARE = "2"

    ACCEPTED_CODE = "100"
    # 124: this RequestId was accepted before (the answer of the first try was
    # lost, e.g. a timeout): the message is on its way already, once.
    ALREADY_ACCEPTED_CODE = "124"
    # answer code → (stock failure_type, reason key)
    FAILURES = {
        "108": ("sms_number_format", "number_format"),
        "99": ("sms_blacklist", "blocked"),
        "101": ("sms_acc", "credentials"),
        "104": ("sms_acc", "brandname"),
        "140": ("sms_acc", "ip_not_allowed"),
        "103": ("sms_credit", "credit"),
        # stock has no failure type for an unregistered template: a server
        # error, with a reason staff can read and act on
        "146": ("sms_server", "template_not_registered"),
    }
    OTHER_FAILURE = ("sms_server", "other")
    # SendStatus of a delivery report
    REPORT_STATUS = {"5": "delivered", "4": "failed", "7": "pending"}

    def __init__(self, *, endpoint, api_key, secret_key, brandname="", sms_type=SMS_TYPE_CUSTOMER_CARE,
                 unicode=False, sandbox=False, timeout=15):
        self.endpoint = (endpoint or self.DEFAULT_ENDPOINT).rstrip("/")
        self.api_key = api_key or ""
        self.secret_key = secret_key or ""
        self.brandname = brandname or ""
        self.sms_type = str(sms_type or self.SMS_TYPE_CUSTOMER_CARE)
        self.unicode = bool(unicode)
        self.sandbox = bool(sandbox)
        self.timeout = timeout

    # ------------------------------------------------------------ request
    @staticmethod
    def format_phone(number):
        """The phone as eSMS expects it, "09…" (national form), or None when it
        is not a Vietnamese number (eSMS sends within Vietnam)."""
        e164 = try_normalize_phone(number or "")
        if not e164 or not e164.startswith("+84"):
            return None
        return "0" + e164[3:]

    def format_text(self, body):
        """The text as sent: without diacritics unless the provider sends Unicode."""
        return (body or "") if self.unicode else strip_diacritics(body or "")

    @property
    def send_url(self):
        return self.endpoint + self.SEND_PATH

    def build_request(self, phone, content, request_id, callback_url=""):
        """The JSON body for one message; ``phone`` and ``content`` as sent."""
        return {
            "ApiKey": self.api_key,
            "SecretKey": self.secret_key,
            "Phone": phone,
            "Content": content,
            "Brandname": self.brandname,
            "SmsType": self.sms_type,
            "IsUnicode": "1" if self.unicode else "0",
            "Sandbox": "1" if self.sandbox else "0",
            "RequestId": request_id,
            "CallbackUrl": callback_url or "",
        }

    # ------------------------------------------------------------ answer
    def parse_answer(self, answer):
        """:class:`SendOutcome` of eSMS's JSON answer (a dict)."""
        if not isinstance(answer, dict):
            raise GatewayUnreachable(f"unexpected answer {answer!r:.200}")
        code = str(answer.get("CodeResult", "")).strip()
        provider_ref = str(answer.get("SMSID") or "").strip() or False
        if code in (self.ACCEPTED_CODE, self.ALREADY_ACCEPTED_CODE):
            return SendOutcome("pending", False, False, provider_ref, code)
        failure_type, reason = self.FAILURES.get(code, self.OTHER_FAILURE)
        return SendOutcome("error", failure_type, reason, provider_ref, code)

    def send(self, session, phone, content, request_id, callback_url=""):
        """Post one message; :class:`SendOutcome`, or :class:`GatewayUnreachable`."""
        body = self.build_request(phone, content, request_id, callback_url)
        try:
            response = session.post(self.send_url, json=body, timeout=self.timeout)
        except requests.RequestException as error:
            raise GatewayUnreachable(str(error)) from error
        if response.status_code >= 500:
            raise GatewayUnreachable(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as error:
            raise GatewayUnreachable(f"HTTP {response.status_code}, not JSON") from error
        return self.parse_answer(answer)

    # ------------------------------------------------------------ delivery reports
    def parse_report(self, params):
        """:class:`DeliveryReport` of the callback's query parameters, or
        :class:`ReportError` with what is wrong."""
        request_id = (params.get("RequestId") or "").strip().lower()
        if not UUID_RE.match(request_id):
            raise ReportError("RequestId is missing or is not the id this server sent.")
        status_code = (params.get("SendStatus") or "").strip()
        if not status_code.isdigit() or len(status_code) > 3:
            raise ReportError("SendStatus is missing or is not a number.")
        provider_ref = (params.get("SMSID") or "").strip()
        if provider_ref and not PROVIDER_REF_RE.match(provider_ref):
            raise ReportError("SMSID is malformed.")
        phone = (params.get("phonenumber") or params.get("Phone") or "").strip()[:32]
        status = self.REPORT_STATUS.get(status_code, "pending")
        return DeliveryReport(request_id, provider_ref or False, status, phone)


ADAPTERS = {EsmsAdapter.code: EsmsAdapter}
