"""Intake API: doors for the website (leads) and the switchboard (caller ID).

Documented in ``static/openapi/pi_intake_v1.yaml``. The order of the checks is
part of the contract: key (401/403) → rate limit (429) → size (413) → body
(415/400) → business. Nothing about customers is looked up before the key is
known, and no answer ever carries a stack trace.

Work the caller does not wait for (the history entry and live notice of a
switchboard call) is recorded on the call's audit row in the same transaction
as the answer, and run once the answer has been sent (WSGI ``close``): the
switchboard gets its answer without waiting for it.
"""

import functools
import logging
import time

from odoo import SUPERUSER_ID, api, http
from odoo.http import request
from odoo.modules.registry import Registry

from ..tools import intake_validation

_logger = logging.getLogger(__name__)

KEY_HEADER = "X-PI-Key"


class IntakeError(Exception):
    """Ends a call with an HTTP error answer."""

    def __init__(self, status, code, message, body=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.body = body or {"error": code, "message": message}
        self.headers = headers or []


class PiIntakeController(http.Controller):
    @http.route("/pi/api/v1/leads", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def intake_lead(self, **_kwargs):
        return self._handle("leads", "website", self._process_lead)

    @http.route(
        "/pi/api/v1/pbx/incoming", type="http", auth="public", methods=["POST"], csrf=False, save_session=False
    )
    def intake_pbx_incoming(self, **_kwargs):
        return self._handle("pbx", "pbx", self._process_pbx)

    # ------------------------------------------------------------------ steps
    def _handle(self, endpoint, kind, process):
        started = time.monotonic()
        log = {"endpoint": endpoint, "remote_addr": request.httprequest.remote_addr}
        try:
            key = self._check_key(kind, log)
            body = self._read_body()
            status, payload = process(key, body, log)
            headers = []
        except IntakeError as error:
            status, payload, headers = error.status, error.body, error.headers
            log.setdefault("result", error.code)
        except Exception:  # pylint: disable=broad-except  # the caller must get JSON, never a trace
            _logger.exception("Intake API %s failed", endpoint)
            request.env.cr.rollback()
            status, headers = 500, []
            payload = {"error": "internal_error", "message": "Lỗi hệ thống, vui lòng thử lại sau."}
            log["result"] = "internal_error"
        log.update(status_code=status, duration_ms=int((time.monotonic() - started) * 1000))
        call_id = request.env["pi.api.call"].sudo()._log_call(log)
        headers.append(("Cache-Control", "no-store"))
        response = request.make_json_response(payload, headers=headers, status=status)
        if log.get("followup"):
            response.call_on_close(functools.partial(_run_followup_after_response, request.db, call_id))
        return response

    def _check_key(self, kind, log):
        plain = request.httprequest.headers.get(KEY_HEADER)
        if not plain:
            raise IntakeError(401, "missing_key", f"Thiếu khoá tích hợp (header {KEY_HEADER}).")
        key = request.env["pi.integration.key"].sudo()._authenticate(plain)
        if not key:
            raise IntakeError(401, "invalid_key", "Khoá tích hợp không đúng hoặc đã bị thu hồi.")
        log["key_id"] = key.id
        if key.kind != kind:
            raise IntakeError(403, "wrong_key_kind", "Khoá này không được dùng cho địa chỉ này.")
        retry_after = key._check_rate_limit()
        if retry_after:
            raise IntakeError(
                429,
                "rate_limited",
                f"Quá số lần gọi cho phép, thử lại sau {retry_after} giây.",
                body={"error": "rate_limited", "message": "Quá số lần gọi cho phép.", "retry_after": retry_after},
                headers=[("Retry-After", str(retry_after))],
            )
        return key

    def _read_body(self):
        """The body as a dict, refusing anything over 64 KB before reading it."""
        limit = intake_validation.MAX_BODY_BYTES
        httprequest = request.httprequest
        too_large = IntakeError(413, "payload_too_large", f"Nội dung gửi lên vượt quá {limit // 1024} KB.")
        if httprequest.content_length is not None and httprequest.content_length > limit:
            raise too_large
        if httprequest.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            # Odoo's dispatcher has parsed the form already (for the route's
            # kwargs), so the raw stream is gone; take the first value of each field.
            form = httprequest.form
            return {name: form.get(name) for name in form}
        # Content-Length was checked above; without it (chunked upload), werkzeug
        # still stops at Odoo's global maximum before we measure.
        raw = httprequest.get_data()
        if len(raw) > limit:
            raise too_large
        try:
            return intake_validation.parse_body(raw, httprequest.headers.get("Content-Type"))
        except intake_validation.BodyError as error:
            if error.code == "unsupported_media_type":
                raise IntakeError(415, error.code, str(error)) from error
            raise IntakeError(
                400, error.code, str(error), body={"errors": {"body": str(error)}, "error_codes": {"body": error.code}}
            ) from error

    @staticmethod
    def _invalid(errors, log):
        log["error_fields"] = ",".join(sorted(errors.items))
        return IntakeError(400, "invalid", "", body={"errors": errors.messages, "error_codes": errors.codes})

    def _process_lead(self, key, body, log):
        clean, errors = intake_validation.validate_lead(body)
        if errors:
            raise self._invalid(errors, log)
        with request.env.cr.savepoint():
            status, record = key._intake_lead(clean)
        log.update(result=status, res_model=record._name, res_id=record.id)
        payload = {"id": record.id, "status": status, "model": record._name}
        return (201 if status == "created" else 200), payload

    def _process_pbx(self, key, body, log):
        clean, errors = intake_validation.validate_pbx(body)
        if errors:
            raise self._invalid(errors, log)
        log["call_ref"] = clean.get("call_id")
        # A switchboard resends a call it got no answer for: the same call
        # gets the same answer, and is not logged or notified twice.
        previous = request.env["pi.api.call"].sudo()._find_answered_pbx_call(key.id, clean.get("call_id"))
        with request.env.cr.savepoint():
            answer, record, followup = key._intake_pbx_call(clean, retry_of=previous)
        if previous:
            followup = None
            log["resent"] = True
        log.update(result=answer["match"], res_model=record._name, res_id=record.id, followup=followup)
        return 200, answer


def _run_followup_after_response(dbname, call_id):
    """Run a call's follow-up in a transaction of its own, after the answer.

    Runs in the worker once the response is written; failures are logged and
    the row stays pending for the cron (pi.api.call._cron_run_followups).
    """
    try:
        with Registry(dbname).cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["pi.api.call"].browse(call_id)._run_followups()
    except Exception:  # pylint: disable=broad-except  # the answer is gone: log, the cron retries
        _logger.warning("Intake API call %s: follow-up after the answer failed", call_id, exc_info=True)
