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

import datetime
import logging
import threading
from zoneinfo import ZoneInfo

import requests

from odoo import api, fields, models

from odoo.addons.sms.models.sms_sms import SmsSms as StockSmsSms

from ..tools import sms_marketing
from ..tools.sms_esms import GatewayUnreachable

try:  # today's 18.0
    from odoo.addons.sms.tools.sms_api import SmsApiBase
except ImportError:  # 18.0 before the pluggable SMS APIs
    SmsApiBase = object

_logger = logging.getLogger(__name__)

HAS_SPLIT_BY_API = hasattr(StockSmsSms, "_split_by_api")

# Decree 91/2020/NĐ-CP settings (ir.config_parameter)
HOURS_PARAM = "pi_crm.sms_marketing_hours"
OPT_OUT_PARAM = "pi_crm.sms_marketing_opt_out"
DAILY_CAP_PARAM = "pi_crm.sms_marketing_daily_cap"
DEFAULT_OPT_OUT = "Tu choi nhan QC: soan TC gui PI"
MARKETING_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


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
    # a marketing SMS outside the allowed hours, or over the day's cap for its
    # number, waits (still queued) until then; the queue skips it meanwhile
    pi_held_until = fields.Datetime(string="Held Until", readonly=True, copy=False, index="btree_not_null")

    @api.model_create_multi
    def create(self, vals_list):
        # a mass SMS is marketing: "[QC]" and the opt-out instruction, whoever queues it
        opt_out = None
        for vals in vals_list:
            if vals.get("mailing_id"):
                opt_out = self._pi_marketing_opt_out() if opt_out is None else opt_out
                vals["body"] = sms_marketing.wrap(vals.get("body"), opt_out)
        return super().create(vals_list)

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
        # marketing SMS obey Decree 91 whatever the gateway; care SMS pass untouched
        sendable = self._pi_marketing_gate()
        if sendable != self:  # some were held or cancelled: the others go the same way
            return sendable._send(**options) if sendable else None
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

    # ------------------------------------------------------------ marketing (Decree 91/2020)
    @api.model
    def _process_queue(self, ids=None):
        """Stock's queue run, without the marketing SMS that are held.

        Stock takes the first 10,000 queued SMS by id: a night's worth of held
        campaign SMS would fill that and keep the care SMS (statements, OTP,
        greetings) behind them until morning. Same steps as stock otherwise
        (``sms/models/sms_sms.py``), which offers no hook for the domain; a
        failure is the job's (logged by the cron), not hidden.
        """
        domain = [("state", "=", "outgoing"), ("to_delete", "!=", True),
                  "|", ("pi_held_until", "=", False), ("pi_held_until", "<=", fields.Datetime.now())]
        ready_ids = self.search(domain, limit=10000).ids
        ids = sorted(set(ready_ids) & set(ids)) if ids else sorted(ready_ids)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        return self.browse(ids).send(unlink_failed=False, unlink_sent=True, auto_commit=auto_commit,
                                     raise_exception=False)

    def _pi_is_marketing(self):
        """A marketing SMS is one a mass mailing (SMS marketing) queued."""
        self.ensure_one()
        return bool(self.mailing_id)

    def _pi_marketing_gate(self):
        """The SMS of this batch that may leave now.

        Care SMS all pass. Marketing SMS to a blacklisted number are cancelled
        (as stock cancels them when queuing); those outside the allowed hours or
        over their number's cap for the day stay queued, held until the window
        next opens, and the queue's job is scheduled for that moment.
        """
        marketing = self.filtered(lambda sms: sms._pi_is_marketing())
        if not marketing:
            return self
        marketing = marketing - marketing._pi_cancel_blacklisted()
        window = self._pi_marketing_window()
        local_now = self._pi_marketing_local_now()
        release = sms_marketing.release_time(local_now, window)
        if release:
            marketing._pi_hold(release)
            return self - marketing
        over_cap = marketing._pi_over_daily_cap(local_now)
        if over_cap:
            over_cap._pi_hold(sms_marketing.next_opening(local_now, window))
        marketing._pi_wrap_marketing_bodies()
        return (self - marketing) | (marketing - over_cap)

    def _pi_cancel_blacklisted(self):
        """Cancel these marketing SMS whose number was blacklisted since they were
        queued; return them. Superuser: the blacklist is not the sender's to read."""
        numbers = set(self.mapped("number"))
        blacklisted = set(self.env["phone.blacklist"].sudo().search(
            [("number", "in", list(numbers)), ("active", "=", True)]).mapped("number")) if numbers else set()
        cancelled = self.filtered(lambda sms: sms.number in blacklisted)
        for sms in cancelled.sudo():
            sms.sms_tracker_id._action_update_from_sms_state("canceled", failure_type="sms_blacklist")
        cancelled.sudo().write({"state": "canceled", "failure_type": "sms_blacklist", "pi_held_until": False})
        return cancelled

    def _pi_over_daily_cap(self, local_now):
        """These marketing SMS that would exceed their number's cap today (the later ones)."""
        day_start = datetime.datetime.combine(local_now.date(), datetime.time.min, MARKETING_TZ)
        day_start_utc = day_start.astimezone(datetime.UTC).replace(tzinfo=None)
        numbers = list(set(self.mapped("number")))
        sent = self.env["mailing.trace"].sudo()._read_group(
            [("trace_type", "=", "sms"), ("sms_number", "in", numbers), ("sent_datetime", ">=", day_start_utc)],
            ["sms_number"], ["__count"])
        ordered = self.sorted("id")
        _send, wait = sms_marketing.split_by_cap(
            ordered.mapped("number"), dict(sent), cap=self._pi_marketing_daily_cap())
        return self.browse([ordered[index].id for index in wait])

    def _pi_hold(self, local_release):
        """Keep these SMS queued until ``local_release`` (local time) and wake the
        queue's job then. Superuser: the queue's own bookkeeping."""
        release = local_release.replace(tzinfo=MARKETING_TZ).astimezone(datetime.UTC).replace(tzinfo=None)
        self.sudo().write({"pi_held_until": release})
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at=release)
        _logger.info("%s marketing SMS held until %s (Decree 91/2020)", len(self), release)

    def _pi_wrap_marketing_bodies(self):
        """``[QC]`` and the opt-out instruction on these marketing SMS, should a body
        have been changed since it was queued (a no-op for the others)."""
        opt_out = self._pi_marketing_opt_out()
        for sms in self:
            body = sms_marketing.wrap(sms.body, opt_out)
            if body != sms.body:
                sms.sudo().body = body

    @api.model
    def _pi_marketing_local_now(self):
        return datetime.datetime.now(MARKETING_TZ).replace(tzinfo=None)

    @api.model
    def _pi_marketing_window(self):
        params = self.env["ir.config_parameter"].sudo()
        return sms_marketing.parse_hours(params.get_param(HOURS_PARAM, sms_marketing.DEFAULT_HOURS))

    @api.model
    def _pi_marketing_opt_out(self):
        return self.env["ir.config_parameter"].sudo().get_param(OPT_OUT_PARAM) or DEFAULT_OPT_OUT

    @api.model
    def _pi_marketing_daily_cap(self):
        value = self.env["ir.config_parameter"].sudo().get_param(DAILY_CAP_PARAM)
        try:
            return max(0, int(value)) if value else sms_marketing.DEFAULT_DAILY_CAP
        except ValueError:
            return sms_marketing.DEFAULT_DAILY_CAP
