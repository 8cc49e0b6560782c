import hmac
import logging
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools.sms_esms import ADAPTERS, EsmsAdapter

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

DLR_ROUTE = "/pi/sms/dlr/"
TIMEOUT_PARAM = "pi_crm.sms_gateway_timeout"
DEFAULT_TIMEOUT = 15

# Reasons of the adapters' outcomes (tools/sms_esms.py), as staff read them.
FAILURE_REASONS = {
    "number_format": _lt("The gateway refused the phone number: it is not a valid Vietnamese mobile number."),
    "not_vietnamese": _lt("Only Vietnamese phone numbers can be sent through this SMS gateway."),
    "blocked": _lt("The gateway has blocked this phone number (the customer refused SMS or the number is barred)."),
    "credentials": _lt("The gateway refused the API key or the secret key: check the SMS gateway settings."),
    "brandname": _lt("The brandname is not registered with the gateway: check the SMS gateway settings."),
    "ip_not_allowed": _lt("The gateway refused this server's IP address: add it to the account's allowed IPs."),
    "credit": _lt("The SMS gateway account has run out of credit."),
    "template_not_registered": _lt(
        "The text does not match any customer-care template registered with the gateway for this brandname: "
        "register the template (or use the registered wording) and send it again."
    ),
    "rejected": _lt("The gateway or the carrier refused the message."),
}


class PiSmsProvider(models.Model):
    """An SMS gateway of PI's own (eSMS.vn first) that replaces Odoo IAP.

    While a company has an active provider, every SMS of that company
    (chatter, composer, templates, mass SMS: all end as ``sms.sms`` sent by
    ``sms.sms._send``) goes out through it (``models/sms_sms.py``); without
    one, stock Odoo sends as before. Full-rights administrators only. The API
    key, the secret key and the delivery-report token are readable by the
    system group alone and never shown: administrators replace them through
    the write-only "New ..." fields.
    """

    _name = "pi.sms.provider"
    _description = "SMS Gateway"
    _order = "active desc, sequence, id"

    name = fields.Char("Gateway Name", required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    provider = fields.Selection(
        [("esms", "eSMS.vn")], required=True, default="esms", help="The gateway's API this provider speaks."
    )
    endpoint = fields.Char(
        required=True,
        default=EsmsAdapter.DEFAULT_ENDPOINT,
        help="Base URL of the gateway's API, e.g. https://rest.esms.vn.",
    )
    api_key = fields.Char(string="API Key", copy=False, groups="base.group_system")
    secret_key = fields.Char(copy=False, groups="base.group_system")
    new_api_key = fields.Char(
        string="New API Key",
        compute="_compute_new_keys",
        inverse="_inverse_new_api_key",
        help="Type the API key to store it; it is never shown again.",
    )
    new_secret_key = fields.Char(
        compute="_compute_new_keys",
        inverse="_inverse_new_secret_key",
        help="Type the secret key to store it; it is never shown again.",
    )
    keys_set = fields.Boolean(string="Keys Stored", compute="_compute_keys_set")
    brandname = fields.Char(help="The sender name registered with the gateway (eSMS: Brandname).")
    sms_type = fields.Selection(
        [("2", "Customer care (brandname)"), ("1", "Advertising (brandname)"), ("8", "Fixed number")],
        string="SMS Type",
        required=True,
        default=EsmsAdapter.SMS_TYPE_CUSTOMER_CARE,
        help="eSMS SmsType: customer care messages must match a template registered for the brandname.",
    )
    unicode = fields.Boolean(
        string="Send Vietnamese Accents",
        help="Unticked: texts go out without diacritics (one SMS holds 160 plain characters, 70 with accents).",
    )
    sandbox = fields.Boolean(help="The gateway accepts the messages without sending them (for trials).")
    dlr_token = fields.Char(
        string="Delivery Report Token",
        copy=False,
        readonly=True,
        groups="base.group_system",
        default=lambda self: secrets.token_urlsafe(32),
    )
    test_number = fields.Char(string="Test Phone", help="Where the test SMS goes.")
    test_body = fields.Char(string="Test Text")

    _sql_constraints = [
        ("dlr_token_uniq", "unique(dlr_token)", "Two SMS gateways cannot share a delivery-report token."),
    ]

    def _compute_new_keys(self):
        self.new_api_key = False
        self.new_secret_key = False

    def _inverse_new_api_key(self):
        self._store_key("api_key", "new_api_key")

    def _inverse_new_secret_key(self):
        self._store_key("secret_key", "new_secret_key")

    def _store_key(self, stored, typed):
        for provider in self.filtered(typed):
            # write access on the provider was checked by the ORM before the
            # inverse runs; the key field itself is for the system group only
            provider.sudo()[stored] = provider[typed].strip()

    def _compute_keys_set(self):
        for provider, provider_sudo in zip(self, self.sudo(), strict=True):
            # reads only whether the keys are there, never their value
            provider.keys_set = bool(provider_sudo.api_key and provider_sudo.secret_key)

    @api.constrains("active", "company_id")
    def _check_one_active_per_company(self):
        for provider in self.filtered("active"):
            # every provider counts, whatever the record rules let the user see
            domain = [("company_id", "=", provider.company_id.id), ("active", "=", True)]
            if self.sudo().search_count(domain) > 1:
                raise ValidationError(
                    self.env._(
                        "%(company)s already has an active SMS gateway: archive it first.",
                        company=provider.company_id.display_name,
                    )
                )

    @api.constrains("endpoint")
    def _check_endpoint(self):
        for provider in self:
            if not (provider.endpoint or "").startswith(("https://", "http://")):
                raise ValidationError(self.env._("The gateway's address must start with https://."))

    # ------------------------------------------------------------ ACTIONS
    def action_send_test_sms(self):
        """"Send test SMS": one message to the test phone, through this provider, now."""
        self.ensure_one()
        # a button is a public method: only who may change the provider may use it
        self.check_access("write")
        if not self.test_number:
            raise UserError(self.env._("Enter the test phone first."))
        body = self.test_body or self.env._(
            "Test message from %(company)s through %(gateway)s.",
            company=self.company_id.name,
            gateway=self.name,
        )
        # sms.sms is a system model; the caller's right on the provider was checked above
        sms = self.env["sms.sms"].sudo().create({"number": self.test_number, "body": body})
        sms._pi_send_with_provider(self.sudo(), unlink_sent=False, unlink_failed=False)
        if sms.state == "pending":
            message, kind = self.env._("The gateway accepted the test SMS to %(number)s.", number=sms.number), "success"
        elif sms.state == "outgoing":
            message, kind = self.env._("The gateway could not be reached; the test SMS is queued."), "warning"
        else:
            message, kind = sms.pi_failure_reason or self.env._("The test SMS failed."), "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.env._("Test SMS"), "message": message, "type": kind, "sticky": kind != "success"},
        }

    # ------------------------------------------------------------ BUSINESS
    @api.model
    def _pi_for_company(self, company):
        """The active provider of ``company`` (as superuser: whoever sends an SMS
        uses the gateway without any right on its settings), or an empty one."""
        return self.sudo().search([("company_id", "=", company.id), ("active", "=", True)], limit=1)

    @api.model
    def _pi_from_token(self, token):
        """The provider a delivery-report URL names (archived ones included: a
        report may come after the switch), or an empty recordset."""
        if not token or len(token) > 128:
            return self.browse()
        providers = self.sudo().with_context(active_test=False).search([("dlr_token", "=", token)], limit=1)
        # the search found it by equality; compare again in constant time
        if providers and hmac.compare_digest(providers.dlr_token, token):
            return providers
        return self.browse()

    def _pi_adapter(self):
        """The adapter (``tools/``) with this provider's settings; call on sudo."""
        self.ensure_one()
        timeout = self.env["ir.config_parameter"].sudo().get_param(TIMEOUT_PARAM)
        return ADAPTERS[self.provider](
            endpoint=self.endpoint,
            api_key=self.api_key,
            secret_key=self.secret_key,
            brandname=self.brandname,
            sms_type=self.sms_type,
            unicode=self.unicode,
            sandbox=self.sandbox,
            timeout=float(timeout) if timeout else DEFAULT_TIMEOUT,
        )

    def _pi_dlr_url(self):
        self.ensure_one()
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return (base_url or "").rstrip("/") + DLR_ROUTE + self.sudo().dlr_token

    @api.model
    def _pi_failure_reason(self, reason, code=""):
        """What staff read for an outcome's ``reason`` key: in the sender's
        language, or the company's when the sender has none (crons)."""
        if not reason:
            return False
        env = self.env if self.env.lang else self.with_context(lang=self.env.company.partner_id.lang).env
        if reason in FAILURE_REASONS:
            return env._(FAILURE_REASONS[reason])
        return env._("The SMS gateway answered with error code %(code)s.", code=code or "?")

    def _pi_apply_report(self, report):
        """Apply a delivery report (``tools`` ``DeliveryReport``) to the SMS
        this provider sent with that RequestId (and gateway id, when both sides
        know it). Returns False when this provider sent no such SMS: a report
        never touches another provider's SMS, nor one sent through IAP."""
        self.ensure_one()
        trackers = self.env["sms.tracker"].sudo().search(
            [("sms_uuid", "=", report.request_id), ("pi_sms_provider_id", "=", self.id)]
        )
        if report.provider_ref:
            trackers = trackers.filtered(lambda t: t.pi_provider_ref in (False, report.provider_ref))
        if not trackers:
            return False
        sms = self.env["sms.sms"].sudo().search(
            [("uuid", "=", report.request_id), ("pi_sms_provider_id", "=", self.id)]
        )
        if report.status == "delivered":
            trackers._action_update_from_sms_state("sent")
            sms.write({"state": "sent", "failure_type": False, "pi_failure_reason": False})
        elif report.status == "failed":
            # the gateway calls without a language: the company's
            reason = self.with_context(lang=self.company_id.partner_id.lang or "en_US")._pi_failure_reason("rejected")
            trackers._action_update_from_sms_state("error", failure_type="sms_not_delivered", failure_reason=reason)
            sms.write({"state": "error", "failure_type": "sms_not_delivered", "pi_failure_reason": reason})
        return True
