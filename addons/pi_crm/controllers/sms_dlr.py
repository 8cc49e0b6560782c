"""Delivery reports of PI's SMS gateway: ``GET /pi/sms/dlr/<token>``.

The gateway (eSMS) calls the ``CallbackUrl`` sent with each message, up to
five times until it gets an answer. The token, secret and one per provider,
picks the provider; a report then only reaches an SMS that provider sent.
Answers: 200 done, 400 parameters missing or malformed (with what is wrong),
404 unknown token or no such SMS for that provider; never a stack trace.
"""

import logging

from odoo import http
from odoo.http import request

from ..tools.sms_esms import ReportError

_logger = logging.getLogger(__name__)


class PiSmsDeliveryReport(http.Controller):
    @http.route(
        "/pi/sms/dlr/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def pi_sms_delivery_report(self, token, **params):
        provider = request.env["pi.sms.provider"]._pi_from_token(token)
        if not provider:
            return request.make_json_response({"error": "not_found", "message": "Unknown gateway."}, status=404)
        try:
            report = provider._pi_adapter().parse_report(params)
        except ReportError as error:
            _logger.info("SMS delivery report refused for gateway %s: %s", provider.id, error)
            return request.make_json_response({"error": "bad_request", "message": str(error)}, status=400)
        if not provider._pi_apply_report(report):
            return request.make_json_response(
                {"error": "not_found", "message": "No SMS with this RequestId was sent through this gateway."},
                status=404,
            )
        return request.make_json_response({"result": "ok"})
