from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# What only action_grant / action_withdraw write: the consent's state is evidence.
ACTION_FIELDS = frozenset({"state", "date_granted", "date_withdrawn", "withdrawn_by_id"})
CHANNELS = [("email", "Email"), ("sms", "SMS"), ("zalo", "Zalo"), ("phone", "Phone call")]
PURPOSES = [("care", "Customer care"), ("marketing", "Marketing")]


class PiConsent(models.Model):
    """A person's consent to be contacted on one channel for one purpose (Decree 13/2023/NĐ-CP).

    One record per partner, channel and purpose; its chatter keeps every grant and
    withdrawal, with who recorded it and the evidence.
    """

    _name = "pi.consent"
    _description = "Personal Data Consent"
    _inherit = ["mail.thread"]
    _order = "partner_id, channel, purpose"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade",
                                 tracking=True)
    channel = fields.Selection(CHANNELS, required=True, tracking=True)
    purpose = fields.Selection(PURPOSES, required=True, tracking=True)
    state = fields.Selection([("granted", "Granted"), ("withdrawn", "Withdrawn")], default="granted",
                             required=True, readonly=True, tracking=True, index=True)
    date_granted = fields.Datetime(string="Granted On", default=fields.Datetime.now, readonly=True)
    date_withdrawn = fields.Datetime(string="Withdrawn On", readonly=True)
    withdrawn_by_id = fields.Many2one("res.users", string="Withdrawal Recorded By", readonly=True)
    source = fields.Selection(
        [("website", "Website"), ("portal", "Investor portal"), ("paper", "Paper form"), ("call", "Phone call"),
         ("optout", "Opt-out link")], required=True, default="paper", tracking=True)
    evidence = fields.Text(help="What the person said or signed, where and when: the proof of the consent.")
    evidence_attachment_ids = fields.Many2many("ir.attachment", string="Evidence Files")
    user_id = fields.Many2one(related="partner_id.user_id", string="Consultant", store=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    _sql_constraints = [
        ("partner_channel_purpose_uniq", "unique(partner_id, channel, purpose)",
         "A customer has one consent per channel and purpose: withdraw or grant it again."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "granted") != "granted" or ACTION_FIELDS.intersection(vals) - {"state"}:
                if not self.env.context.get("pi_consent_action"):
                    raise UserError(self.env._("A consent is recorded as granted; withdraw it with its button."))
        return super().create(vals_list)

    def write(self, vals):
        if ACTION_FIELDS.intersection(vals) and not self.env.context.get("pi_consent_action"):
            raise UserError(self.env._("A consent's state changes only with its Grant and Withdraw buttons."))
        if "partner_id" in vals and any(consent.partner_id.id != vals["partner_id"] for consent in self):
            raise UserError(self.env._("A consent belongs to its customer: record a new one for someone else."))
        return super().write(vals)

    def action_withdraw(self, source=None):
        """Withdraw these consents and stop the channel: the e-mail or the phone numbers go on
        stock's blacklists, which every mailing and SMS already respects."""
        self.check_access("write")
        to_withdraw = self.filtered(lambda consent: consent.state == "granted")
        values = {"state": "withdrawn", "date_withdrawn": fields.Datetime.now(), "withdrawn_by_id": self.env.uid}
        if source:
            values["source"] = source
        to_withdraw.with_context(pi_consent_action=True).write(values)
        to_withdraw._pi_blacklist_channel()
        return True

    def action_grant(self):
        """Record the consent as given again (new evidence in the chatter)."""
        self.check_access("write")
        self.filtered(lambda consent: consent.state == "withdrawn").with_context(pi_consent_action=True).write(
            {"state": "granted", "date_granted": fields.Datetime.now(), "date_withdrawn": False,
             "withdrawn_by_id": False})
        return True

    def _pi_blacklist_channel(self):
        # The blacklists are the mailing and SMS senders' own; staff have no right on them, and
        # the caller's right on these consents was checked: add exactly these customers' addresses.
        email_blacklist, phone_blacklist = self.env["mail.blacklist"].sudo(), self.env["phone.blacklist"].sudo()
        for consent in self:
            partner = consent.partner_id
            if consent.channel == "email" and partner.email:
                email_blacklist._add(partner.email, message=self.env._("Consent withdrawn"))
            elif consent.channel in ("sms", "phone"):
                for number in {partner.phone_sanitized, partner.pi_phone_other_sanitized} - {False, None}:
                    phone_blacklist._add([number], message=self.env._("Consent withdrawn"))

    @api.model
    def _pi_marketing_requires_consent(self):
        """Whether PI's setting asks for a granted marketing consent before any marketing (Decree 13/2023/NĐ-CP)."""
        return bool(self.env["ir.config_parameter"].sudo().get_param("pi_crm.marketing_requires_consent"))

    @api.model
    def _pi_marketing_allowed_domain(self, channel, partner_field=None):
        """The domain of the records PI may send marketing to on ``channel``: ``[]`` (all of them)
        unless PI's setting asks for consent first; then those whose customer (commercial partner)
        has a granted marketing consent on that channel.

        :param partner_field: ``None`` for a domain on res.partner, else the many2one to res.partner
            of the model the domain is for (``"partner_id"`` on leads: a lead without one is left out)
        """
        if not self._pi_marketing_requires_consent():
            return []
        # Who granted is what every sender must respect, whoever runs the mailing or the job;
        # the consents themselves (evidence) stay out of reach: only their partners, as a subquery.
        granted = self.sudo()._search([("channel", "=", channel), ("purpose", "=", "marketing"),
                                       ("state", "=", "granted")])
        path = f"{partner_field}.commercial_partner_id" if partner_field else "commercial_partner_id"
        return [(path, "in", granted.subselect(self._field_to_sql(granted.table, "partner_id", granted)))]

    @api.model
    def _pi_marketing_allowed(self, partners, channel):
        """The partners of ``partners`` PI may send marketing to on ``channel`` (see
        ``_pi_marketing_allowed_domain``), in their order."""
        domain = self._pi_marketing_allowed_domain(channel)
        if not domain or not partners:
            return partners
        # sudo, no active_test: only which of the caller's own partners pass, archived ones included,
        # not what the caller may search
        allowed = set(partners.sudo().with_context(active_test=False)._search(
            domain + [("id", "in", partners.ids)]))
        return partners.filtered(lambda partner: partner.id in allowed)

    def _pi_check_portal_owner(self, user):
        """The portal may act only on the logged-in investor's own consents."""
        if any(consent.partner_id.commercial_partner_id != user.partner_id.commercial_partner_id for consent in self):
            raise AccessError(self.env._("This consent is not yours."))
