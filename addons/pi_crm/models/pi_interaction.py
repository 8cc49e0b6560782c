from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import consultation, intake_text, lead_scoring, vn_phone


class PiInteraction(models.Model):
    """One contact with a customer: a call, an SMS, an email, a meeting.

    Logging the first interaction of a new lead moves it to "consulting" and
    closes its "consult the new customer" activity (see ``crm.lead``).
    """

    _name = "pi.interaction"
    _description = "Customer Interaction"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        index=True,
        ondelete="cascade",
    )
    lead_id = fields.Many2one("crm.lead", index=True, ondelete="cascade")
    user_id = fields.Many2one(
        "res.users", string="Consultant", default=lambda self: self.env.user, index=True, required=True
    )
    channel = fields.Selection(consultation.CHANNELS, required=True, default="call")
    direction = fields.Selection(consultation.DIRECTIONS, required=True, default="out")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    summary = fields.Text(string="What was said")
    customer_response = fields.Text(string="Customer response")
    result_id = fields.Many2one("pi.interaction.result", ondelete="restrict")
    completed = fields.Boolean(
        default=True,
        help="The customer was reached and the exchange went through: only then do the result points count.",
    )
    intake = fields.Boolean(
        help="Logged when the lead came in (e.g. the switchboard call): kept in the history, "
        "but the lead still waits for its first consultation.",
    )
    mail_message_id = fields.Many2one(
        "mail.message", string="Email", readonly=True, index="btree_not_null", ondelete="set null",
        help="The email sent to the customer from the chatter that this interaction records.",
    )
    # precompute: written with the row instead of by an UPDATE right after it
    points = fields.Integer(compute="_compute_points", store=True, compute_sudo=True, precompute=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.depends("lead_id.partner_id")
    def _compute_partner_id(self):
        for interaction in self:
            if interaction.lead_id.partner_id and not interaction.partner_id:
                interaction.partner_id = interaction.lead_id.partner_id

    @api.depends("channel", "result_id.points", "completed")
    def _compute_points(self):
        points_by_channel = self.env["pi.channel.point"]._get_points_by_channel()
        for interaction in self:
            interaction.points = lead_scoring.interaction_points(
                points_by_channel.get(interaction.channel, 0), interaction.result_id.points, interaction.completed
            )

    @api.depends("channel", "date", "partner_id", "lead_id")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for interaction in self:
            who = interaction.partner_id.name or interaction.lead_id.contact_name or interaction.lead_id.name or ""
            interaction.display_name = f"{channels.get(interaction.channel, '')} - {who}".strip(" -")

    @api.constrains("partner_id", "lead_id")
    def _check_customer(self):
        if any(not interaction.partner_id and not interaction.lead_id for interaction in self):
            raise ValidationError(self.env._("An interaction needs a customer or a lead."))

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("partner_id") and not vals.get("lead_id"):
                raise ValidationError(self.env._("An interaction needs a customer or a lead."))
            self._check_link_access(vals)
        self._pi_drop_computed_values(vals_list, ["points"])  # from the channel and the result, never typed
        if not self.env.su:
            self._pi_drop_computed_values(vals_list, ["mail_message_id"])  # set by the chatter only
        interactions = super().create(vals_list)
        interactions._apply_to_leads()
        return interactions

    def write(self, vals):
        self._pi_check_computed_values(vals, ["points", "mail_message_id"])
        if vals.get("lead_id") or vals.get("partner_id"):
            for interaction in self:
                self._check_link_access(vals, lead=interaction.lead_id)
        return super().write(vals)

    # ------------------------------------------------------------ BUSINESS
    @api.model
    def _check_link_access(self, vals, lead=None):
        """Refuse ``vals`` linking a lead or a customer the user may not open.

        An interaction counts in the score of its lead and customer and classifies
        the lead: a consultant logs them only on their own. The customer of the
        lead (``vals``' lead, else ``lead``) passes: the lead shows it anyway.
        Also used by the "log a call" wizard, on its own values.
        """
        if vals.get("lead_id"):
            self.env["crm.lead"]._pi_check_link_access([vals["lead_id"]])
            lead = self.env["crm.lead"].browse(vals["lead_id"])
        if vals.get("partner_id"):
            lead_partner = lead.sudo().partner_id if lead else self.env["res.partner"]
            self.env["res.partner"]._pi_check_link_access([vals["partner_id"]], allowed=lead_partner)

    def _apply_to_leads(self):
        """Classify leads from the result and close their new-lead activity."""
        for interaction in self.sorted("date"):
            lead = interaction.lead_id
            if lead and interaction.result_id.pi_class:
                lead.sudo().pi_class = interaction.result_id.pi_class
        self.lead_id._pi_close_consult_activity()
        # the care an open or a click asked for (pi.care.mixin): its To-Do is done
        self.lead_id._pi_close_care_activity()
        self.partner_id._pi_close_care_activity()

    # ------------------------------------------------------------ intake API
    @api.model
    def _pi_log_switchboard_call(self, call, partner, lead, responsible):
        """Log a switchboard call as an inbound call, as the intake API's technical user.

        The switchboard's own record is an ``intake`` interaction: it stays in the
        customer's history but does not count as a consultation, so a lead in
        the "not consulted yet" queue stays there until a consultant logs a call.

        :param dict call: ``caller`` (E.164), ``called``, ``call_id``, ``date``
            as the follow-up of ``pi.intake._receive_call`` holds them
        :param partner: the caller's contact, or an empty recordset
        :param lead: the caller's lead, or an empty recordset
        :param responsible: their consultant, or an empty recordset
        """
        summary = intake_text.call_summary(
            vn_phone.display_phone(call["caller"]),
            called=call.get("called"),
            call_id=call.get("call_id"),
            texts={
                "caller": self.env._("Incoming call from %(caller)s"),
                "called": self.env._(" to line %(line)s"),
                "call_id": self.env._(" (PBX call %(call)s)"),
            },
        )
        values = {
            "partner_id": (partner or lead.partner_id).id or False,
            "lead_id": lead.id or False,
            "channel": "call",
            "direction": "in",
            "date": call.get("date") or fields.Datetime.now(),
            "summary": summary,
            "intake": True,
        }
        if responsible:
            values["user_id"] = responsible.id
        return self.create(values)
