"""Intake API: doors for the website (leads) and the switchboard (caller ID).

Documented in ``static/openapi/pi_intake_v1.yaml``. The controller parses,
validates and authenticates; what a call does is ``pi.intake``'s
(``models/pi_intake.py``). The order of the checks is
part of the contract: key (401/403) → rate limit (429) → size (413) → body
(415/400) → business. Nothing about customers is looked up before the key is
known, and no answer ever carries a stack trace. Every call, refused ones
included, is written to the audit log (``pi.api.call``), which is what the
rate limit counts.

The body is read by the routes' ``max_content_length`` hook, before Odoo's
dispatcher would parse a form into the route's arguments: at most 64 KB + 1
bytes are read, whatever the Content-Length says or whether the upload is
chunked, so an oversized body costs no more than that.

Work the caller does not wait for (the history entry and live notice of a
switchboard call) is recorded on the call's audit row in the same transaction
as the answer, and run once the answer has been sent (WSGI ``close``): the
switchboard gets its answer without waiting for it.

Messages are English msgids of pi_crm (``intake_validation``'s, collected into
``i18n/pi_crm.pot``); every answer gives them in ``RESPONSE_LANG``.
"""

import functools
import io
import logging
import time

import werkzeug.datastructures
import werkzeug.exceptions
import werkzeug.formparser
import werkzeug.http

from odoo import SUPERUSER_ID, api, http
from odoo.http import request
from odoo.modules.registry import Registry
from odoo.tools.translate import get_translation

from ..tools import intake_validation

_logger = logging.getLogger(__name__)

KEY_HEADER = "X-PI-Key"
# The API has always answered in Vietnamese, the language of the people who
# fill PI's forms: translated from pi_crm's i18n/vi.po by stock's code
# translations (what ``_()`` reads), whether or not the database has Vietnamese
# installed, and whatever language the technical user or the caller has.
RESPONSE_LANG = "vi_VN"


def _translate(message, params=None):
    """``message`` (an English msgid of pi_crm) in ``RESPONSE_LANG``, its named
    placeholders filled from ``params``."""
    return get_translation("pi_crm", RESPONSE_LANG, message, params or {})


class IntakeError(Exception):
    """Ends a call with an HTTP error answer; its status is the code's
    (``intake_validation.error_status``), so an undocumented code cannot be
    answered, and its message the code's (``intake_validation.ERROR_MESSAGES``)."""

    def __init__(self, code, params=None, body=None, headers=None):
        super().__init__(code)
        self.status = intake_validation.error_status(code)
        self.code = code
        self.body = body or {"error": code, "message": _translate(intake_validation.ERROR_MESSAGES[code], params)}
        self.headers = headers or []


def _take_body_before_dispatch(controller):
    """``max_content_length`` of the intake routes.

    Odoo evaluates it (with the controller) in ``pre_dispatch``, right before
    its dispatcher parses a form body, of any length when chunked, into the
    route's arguments: the last moment the raw stream is unread. The body is
    taken then (see ``_take_body``) and the limit returned applies to any
    later read.
    """
    return controller._take_body()


class PiIntakeController(http.Controller):
    @http.route(
        "/pi/api/v1/leads", type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
        max_content_length=_take_body_before_dispatch,
    )
    def intake_lead(self, **_kwargs):
        return self._handle("leads", "website", self._process_lead)

    @http.route(
        "/pi/api/v1/pbx/incoming", type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
        max_content_length=_take_body_before_dispatch,
    )
    def intake_pbx_incoming(self, **_kwargs):
        return self._handle("pbx", "pbx", self._process_pbx)

    # ------------------------------------------------------------------ steps
    def _handle(self, endpoint, kind, process):
        started = time.monotonic()
        log = {"endpoint": endpoint, "remote_addr": intake_validation.clean_log_text(request.httprequest.remote_addr)}
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
            for written in ("res_model", "res_id", "followup", "resent"):  # rolled back
                log.pop(written, None)
            error = IntakeError("internal_error")
            status, payload, headers = error.status, error.body, error.headers
            log["result"] = error.code
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
            raise IntakeError("missing_key", {"header": KEY_HEADER})
        key = request.env["pi.integration.key"].sudo()._authenticate(plain)
        if not key:
            raise IntakeError("invalid_key")
        log["key_id"] = key.id
        if key.kind != kind:
            raise IntakeError("wrong_key_kind")
        retry_after = key._check_rate_limit()
        if retry_after:
            error = IntakeError("rate_limited", headers=[("Retry-After", str(retry_after))])
            error.body["retry_after"] = retry_after
            raise error
        return key

    def _take_body(self):
        """Read the body into ``request.pi_intake_body``: the bytes, or the
        IntakeError to answer (413 over 64 KB, 400 for a broken upload).

        Never reads more than 64 KB + 1 bytes: a Content-Length over the limit
        is answered without reading, and the stream of a chunked upload stops
        (werkzeug raises 413) past ``max_content_length``. The form the
        dispatcher would parse is left empty: ``_read_body`` parses the body.
        """
        limit = intake_validation.MAX_BODY_BYTES
        httprequest = request.httprequest
        too_large = IntakeError("payload_too_large", {"size": limit // 1024})
        body = too_large
        if httprequest.content_length is None or httprequest.content_length <= limit:
            # limit + 1: werkzeug refuses to read *at* a maximum, even at the end of the body
            httprequest.max_content_length = limit + 1
            try:
                data = httprequest.get_data(cache=False)
                body = data if len(data) <= limit else too_large
            except werkzeug.exceptions.RequestEntityTooLarge:
                body = too_large  # a chunked upload that went on past the limit
            except (OSError, werkzeug.exceptions.BadRequest) as error:
                # a broken chunked encoding, or the client went away mid-body
                _logger.info("Intake API: unreadable request body (%s)", error)
                body = self._body_error(intake_validation.BodyError(intake_validation.UNREADABLE_BODY_MESSAGE))
        request.pi_intake_body = body
        httprequest.form = httprequest.files = werkzeug.datastructures.ImmutableMultiDict()
        return limit + 1

    @staticmethod
    def _body_error(error):
        """The answer to an ``intake_validation.BodyError``: the field error
        ``body``, or an error answer of its own code (415)."""
        if error.code in intake_validation.FIELD_ERROR_CODES:
            message = _translate(error.message, error.params)
            return IntakeError(error.code, body={"errors": {"body": message}, "error_codes": {"body": error.code}})
        return IntakeError(error.code)

    def _read_body(self):
        """The body taken by ``_take_body`` as a dict of fields."""
        if not hasattr(request, "pi_intake_body"):
            self._take_body()
        body = request.pi_intake_body
        if isinstance(body, IntakeError):
            raise body
        content_type = request.httprequest.headers.get("Content-Type")
        try:
            if request.httprequest.mimetype == "multipart/form-data":
                return self._parse_multipart(body, content_type)
            return intake_validation.parse_body(body, content_type)
        except intake_validation.BodyError as error:
            raise self._body_error(error) from error

    @staticmethod
    def _parse_multipart(body, content_type):
        """A multipart form as a dict of its text fields (first value of each).
        Its parts must be UTF-8 text, as the other media types."""
        intake_validation.decode_text(body)
        mimetype, options = werkzeug.http.parse_options_header(content_type)
        parser = werkzeug.formparser.FormDataParser(max_form_parts=100, silent=False)
        try:
            _stream, form, _files = parser.parse(io.BytesIO(body), mimetype, len(body), options)
        except (ValueError, werkzeug.exceptions.HTTPException) as error:
            raise intake_validation.BodyError(intake_validation.UNREADABLE_MULTIPART_MESSAGE) from error
        return {name: form.get(name) for name in form}

    @staticmethod
    def _invalid(errors, log):
        log["error_fields"] = ",".join(sorted(errors.items))
        return IntakeError(
            intake_validation.FIELD_ERRORS_RESULT,
            body={"errors": errors.translated(_translate), "error_codes": errors.codes},
        )

    def _process_lead(self, key, body, log):
        clean, errors = intake_validation.validate_lead(body)
        if errors:
            raise self._invalid(errors, log)
        # No savepoint: nothing raised in there is answered without rolling the whole
        # transaction back (``_handle``), and a savepoint costs two round trips a call.
        status, record = request.env["pi.intake"]._submit_lead(key, clean)
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
        answer, record, followup = request.env["pi.intake"]._receive_call(key, clean, retry_of=previous)
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
