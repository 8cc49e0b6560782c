"""Stock SMS through PI's own gateway (``pi.sms.provider``) instead of Odoo IAP.

Two Odoo 18.0 builds are around. Today's 18.0 picks the API per batch in
``sms.sms.send`` through ``_split_by_api`` (yielding ``(api, records)`` pairs)
and calls ``_send`` with the api in the context (``sms_api``). Earlier 18.0
builds (the local one, December 2024) call ``_send`` per batch, which always
talks to IAP. Both end in ``_send``: it sends the records of companies with an
active provider through ``_pi_send_with_provider`` and leaves the others to
stock, so stock batching (``sms.session.batch.size``), the commits between
batches and the queue's cron are the same for both.
"""

import logging

import requests

from odoo import fields, models

from odoo.addons.sms.models.sms_sms import SmsSms as StockSmsSms

from ..tools.sms_esms import GatewayUnreachable

try:  # today's 18.0
    from odoo.addons.sms.tools.sms_api import SmsApiBase
except ImportError:  # 18.0 before the pluggable SMS APIs
    SmsApiBase = object

_logger = logging.getLogger(__name__)

HAS_SPLIT_BY_API = hasattr(StockSmsSms, "_split_by_api")


class PiSmsApi(SmsApiBase):
    """What ``_split_by_api`` yields for a provider of PI's (today's 18.0): the
    sending itself is ``sms.sms._pi_send_with_provider``, shared by both builds."""

    def __init__(self, env, provider):
        self.env = env
        self.company = provider.company_id
        self.provider = provider

    def _set_company(self, company):
        self.company = company

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        raise NotImplementedError("PI's SMS gateway sends through sms.sms._pi_send_with_provider")

    def _get_sms_api_error_messages(self):
        return {}


class SmsSms(models.Model):
    _inherit = "sms.sms"

    failure_type = fields.Selection(
        selection_add=[("sms_not_delivered", "Not Delivered")],
        ondelete={"sms_not_delivered": lambda records: records.write({"failure_type": "unknown"})},
    )
    pi_sms_provider_id = fields.Many2one(
        "pi.sms.provider", string="SMS Gateway", readonly=True, index="btree_not_null", ondelete="set null"
    )
    pi_provider_ref = fields.Char(string="Gateway Message ID", readonly=True, copy=False)
    pi_failure_reason = fields.Char(string="Failure Reason", readonly=True, copy=False)

    # ------------------------------------------------------------ routing
    def _split_by_api(self):
        """Today's 18.0: the records of companies with a provider go to it."""
        routed, rest = self._pi_split_by_provider()
        for provider, records in routed:
            yield PiSmsApi(self.env, provider), records
        if rest and HAS_SPLIT_BY_API:
            yield from super(SmsSms, rest)._split_by_api()
        elif rest:  # the local 18.0 has no such hook: no api, _send chooses stock's
            yield None, rest

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        options = {"unlink_failed": unlink_failed, "unlink_sent": unlink_sent, "raise_exception": raise_exception}
        sms_api = self.env.context.get("sms_api")
        if isinstance(sms_api, PiSmsApi):
            return self._pi_send_with_provider(sms_api.provider, **options)
        if sms_api is not None:  # another API chosen by _split_by_api: stock's business
            return super()._send(**options)
        # the local 18.0's send(), or a direct call: choose here
        routed, rest = self._pi_split_by_provider()
        for provider, records in routed:
            records._pi_send_with_provider(provider, **options)
        if rest:
            return super(SmsSms, rest)._send(**options)
        return None

    def _send_with_api(self, sms_api, *args, **kwargs):
        """Today's 18.0, should a caller hand the api over directly."""
        if isinstance(sms_api, PiSmsApi):
            options = dict(zip(("unlink_failed", "unlink_sent", "raise_exception"), args, strict=False), **kwargs)
            return self._pi_send_with_provider(sms_api.provider, **options)
        return super()._send_with_api(sms_api, *args, **kwargs)

    def _pi_company(self):
        self.ensure_one()
        if hasattr(self, "_get_sms_company"):  # today's 18.0
            return self._get_sms_company()
        return self.mail_message_id.record_company_id or self.env.company

    def _pi_split_by_provider(self):
        """``([(provider, records), ...], rest)``: the records of each company
        that has an active provider, and the records of the companies without."""
        by_company = {}
        for sms in self:
            company = sms._pi_company()
            by_company[company] = by_company.get(company, self.browse()) | sms
        Provider = self.env["pi.sms.provider"]
        routed, rest = [], self.browse()
        for company, records in by_company.items():
            provider = Provider._pi_for_company(company)
            if provider:
                routed.append((provider, records))
            else:
                rest |= records
        return routed, rest

    # ------------------------------------------------------------ sending
    def _pi_send_with_provider(self, provider, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """Send through ``provider`` (sudo), one request per SMS, its uuid as
        the gateway's RequestId.

        Each answer is written as stock writes IAP's (state, failure type,
        trackers, the chatter's icons). When the gateway cannot be reached the
        rest of the batch is left as it is, queued (``outgoing``): the queue's
        next run sends it with the same RequestId, which the gateway accepts
        once only.
        """
        adapter = provider._pi_adapter()
        callback_url = provider._pi_dlr_url()
        session = requests.Session()
        done = self.browse()
        try:
            for sms in self.filtered(lambda s: s.state == "outgoing" and not s.to_delete):
                phone = adapter.format_phone(sms.number)
                if not phone:
                    sms._pi_write_outcome(provider, "error", "sms_number_format", "not_vietnamese", unlink_failed)
                else:
                    try:
                        outcome = adapter.send(
                            session, phone, adapter.format_text(sms.body), sms.uuid, callback_url
                        )
                    except GatewayUnreachable as error:
                        _logger.warning(
                            "SMS gateway %s unreachable (%s): %s SMS stay queued",
                            provider.name, error, len(self - done),
                        )
                        if raise_exception:
                            raise
                        break
                    _logger.info("SMS %s through %s: code %s", sms.id, provider.name, outcome.code)
                    unlink = unlink_sent if outcome.state == "pending" else unlink_failed
                    sms._pi_write_outcome(
                        provider, outcome.state, outcome.failure_type, outcome.reason, unlink,
                        provider_ref=outcome.provider_ref, code=outcome.code,
                    )
                done |= sms
        finally:
            session.close()
            done.mail_message_id._notify_message_notification_update()

    def _pi_write_outcome(self, provider, state, failure_type, reason, unlink, provider_ref=False, code=""):
        """Write one SMS's outcome and its trackers (notification, mailing trace)."""
        self.ensure_one()
        failure_reason = provider._pi_failure_reason(reason, code)
        sms_sudo = self.sudo().with_context(sms_skip_msg_notification=True)
        tracker = sms_sudo._pi_tracker(provider, provider_ref)
        if state == "error":
            tracker._action_update_from_sms_state("error", failure_type=failure_type, failure_reason=failure_reason)
        else:
            tracker._action_update_from_sms_state(state)
        sms_sudo.write({
            "state": state,
            "failure_type": failure_type or False,
            "pi_failure_reason": failure_reason,
            "pi_sms_provider_id": provider.id,
            "pi_provider_ref": provider_ref or False,
            **({"to_delete": True} if unlink else {}),
        })

    def _pi_tracker(self, provider, provider_ref):
        """The SMS's tracker, created when stock made none (an SMS without a
        notification): it outlives the SMS, which is deleted once sent, and
        ties its uuid to the provider for the delivery reports."""
        self.ensure_one()
        tracker = self.sms_tracker_id or self.env["sms.tracker"].sudo().create({"sms_uuid": self.uuid})
        tracker.write({"pi_sms_provider_id": provider.id, "pi_provider_ref": provider_ref or False})
        return tracker
