import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import create_index, html2plaintext

from ..tools import consultation, vn_names, vn_phone

_logger = logging.getLogger(__name__)

# Written only by their computes and PI's own code (see base._pi_check_computed_values).
COMPUTED_ONLY = (
    "pi_consult_state", "pi_consult_activity_id", "pi_interaction_count", "pi_last_interaction_date",
    "pi_score", "pi_stars",
    "pi_first_interaction_date", "pi_nurture_date",
)


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "pi.phone.lookup.mixin", "pi.customer.mixin"]
    _pi_merge_wizard = "crm.merge.opportunity"

    # Everything PI adds here is staff only (groups="base.group_user"); score,
    # stars, last interaction and duplicates come from pi.customer.mixin.
    # who the lead is: the intake API's "gender" and staff fill pi_gender; the
    # salutation addresses the lead in intro mails, campaigns and SMS
    pi_gender = fields.Selection(
        vn_names.GENDER_SELECTION,
        string="Gender",
        tracking=True,
        groups="base.group_user",
    )
    pi_salutation = fields.Char(
        string="Salutation",
        compute="_compute_pi_salutation",
        store=True,
        groups="base.group_user",
        help="How emails and SMS address this lead, e.g. 'Anh Minh' or 'Chị Lan'.",
    )
    # the two-week nurture email (pi.nurture): staff flag the lead, the daily job sends
    pi_nurture = fields.Boolean(
        string="Receives Marketing Email",
        tracking=True,
        groups="base.group_user",
        help="PI's performance email goes to this lead two weeks after its first interaction "
        "(or its creation), then once per cycle (Settings), until it is won or its customer invests.",
    )
    pi_nurture_date = fields.Datetime(
        string="Last Marketing Email", readonly=True, copy=False, index="btree_not_null", groups="base.group_user"
    )
    pi_first_interaction_date = fields.Datetime(
        string="First interaction",
        compute="_compute_pi_first_interaction_date",
        store=True,
        groups="base.group_user",
    )
    pi_given_name = fields.Char(
        string="Given Name", compute="_compute_pi_given_name", groups="base.group_user",
        help="The last word of the contact's name, as campaigns address people: 'Minh'.")
    # consultation
    pi_consult_state = fields.Selection(
        consultation.CONSULT_STATES,
        string="Consultation",
        compute="_compute_pi_consult_state",
        store=True,
        index=True,
        tracking=True,
        groups="base.group_user",
        help="Not consulted yet until a first interaction is logged; done once won or lost.",
    )
    pi_consult_activity_id = fields.Many2one(
        "mail.activity", string="New-lead activity", copy=False, readonly=True, groups="base.group_user"
    )
    pi_class = fields.Selection(
        consultation.PI_CLASSES, string="Classification", tracking=True, index=True, groups="base.group_user"
    )
    pi_interaction_ids = fields.One2many(
        "pi.interaction", "lead_id", string="Interactions", groups="base.group_user"
    )
    pi_interaction_count = fields.Integer(
        compute="_compute_pi_interaction_count", store=True, string="# Interactions", groups="base.group_user"
    )
    # scoring
    pi_group_id = fields.Many2one(
        "pi.customer.group",
        string="Customer group",
        compute="_compute_pi_group_id",
        store=True,
        readonly=False,
        groups="base.group_user",
    )
    # duplicates (pi.customer.mixin): leads too
    pi_duplicate_lead_ids = fields.Many2many(
        "crm.lead",
        compute="_compute_pi_duplicates",
        string="Leads with the same phone or email",
        groups="base.group_user",
    )
    pi_duplicate_partner_ids = fields.Many2many(string="Customers with the same phone or email")
    pi_duplicate_hidden_count = fields.Integer(
        help="Leads and customers with the same phone or email that another consultant looks after: "
        "counted, not shown.",
    )

    @api.depends("contact_name", "partner_name", "pi_gender")
    def _compute_pi_salutation(self):
        for lead in self:
            lead.pi_salutation = vn_names.salutation(lead.pi_gender, lead.contact_name or lead.partner_name)

    @api.depends("pi_interaction_ids.intake", "active", "probability", "stage_id.is_won")
    def _compute_pi_consult_state(self):
        for lead in self:
            if lead.stage_id.is_won or (not lead.active and lead.probability == 0):
                lead.pi_consult_state = "done"
            elif lead.pi_interaction_ids.filtered(lambda interaction: not interaction.intake):
                lead.pi_consult_state = "consulting"
            else:
                lead.pi_consult_state = "new"

    @api.depends("pi_interaction_ids.date")
    def _compute_pi_first_interaction_date(self):
        for lead in self:
            dates = lead.pi_interaction_ids.mapped("date")
            lead.pi_first_interaction_date = min(dates) if dates else False

    @api.depends("pi_interaction_ids")
    def _compute_pi_interaction_count(self):
        for lead in self:
            lead.pi_interaction_count = len(lead.pi_interaction_ids)

    @api.depends("partner_id.pi_group_id")
    def _compute_pi_group_id(self):
        for lead in self:
            if lead.partner_id.pi_group_id:
                lead.pi_group_id = lead.partner_id.pi_group_id

    @api.model
    def _pi_duplicate_triggers(self):
        return super()._pi_duplicate_triggers() + ["partner_id"]

    def _pi_find_duplicates(self):
        self.ensure_one()
        Lead = self.env["crm.lead"].with_context(active_test=False)
        leads = Lead.browse()
        if self.email_normalized:
            leads |= Lead._get_lead_duplicates(email=self.email_normalized, include_lost=True)
        if self.phone_sanitized:
            leads |= Lead.search(Lead._pi_get_phone_domain(self.phone_sanitized), limit=20)
        lead_id = self._origin.id
        partners = self._pi_partners_sharing_contact() - (self.partner_id.commercial_partner_id | self.partner_id)
        return {
            "pi_duplicate_lead_ids": leads.filtered(lambda dup: dup.id != lead_id),
            "pi_duplicate_partner_ids": partners,
        }

    def init(self):
        res = super().init()
        # Stock indexes email_normalized with trigrams, for "contains" searches;
        # duplicate checks (intake API, banners) are equalities, which a btree
        # answers in a fraction of a millisecond on a large base.
        create_index(
            self.env.cr, "crm_lead_pi_email_normalized_eq_idx", self._table, ["email_normalized"],
            where="email_normalized IS NOT NULL",
        )
        return res

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        # the lead would copy the customer's e-mail, phones and address: only
        # customers the user may open can be linked
        self.env["res.partner"]._pi_check_link_access([vals.get("partner_id") for vals in vals_list])
        # a lead always starts unconsulted and unscored, whoever creates it (form, RPC, API)
        self._pi_drop_computed_values(vals_list, COMPUTED_ONLY)
        for vals in vals_list:
            self._pi_normalize_phone_vals(vals)
            self._pi_check_email_vals(vals)
        leads = super().create(vals_list)
        leads._pi_schedule_consult_activity()
        return leads

    def write(self, vals):
        self._pi_check_computed_values(vals, COMPUTED_ONLY)
        if vals.get("partner_id") and any(lead.partner_id.id != vals["partner_id"] for lead in self):
            self.env["res.partner"]._pi_check_link_access([vals["partner_id"]])
        self._pi_normalize_phone_vals(vals)
        self._pi_check_email_vals(vals)
        result = super().write(vals)
        if "user_id" in vals or "team_id" in vals:
            self._pi_schedule_consult_activity()
        if {"active", "probability", "stage_id"} & set(vals):
            self._pi_close_consult_activity()
        return result

    def _notify_thread(self, message, msg_vals=False, **kwargs):
        recipients_data = super()._notify_thread(message, msg_vals=msg_vals, **kwargs)
        emailed = [recipient["id"] for recipient in recipients_data or [] if recipient.get("notif") == "email"]
        if emailed:
            self._pi_log_email_to_customer(message, emailed)
        return recipients_data

    # ------------------------------------------------------------ ACTIONS
    def _pi_timeline_domain(self):
        domain = [("lead_id", "=", self.id)]
        if self.partner_id:
            domain = ["|", ("partner_id", "=", self.partner_id.id)] + domain
        return domain

    def _pi_mergeable_duplicates(self):
        duplicates = self.pi_duplicate_lead_ids.with_env(self.env)._filtered_access("write")
        return duplicates.filtered(lambda lead: lead.active and lead.probability < 100)

    def _pi_merge_refused_message(self):
        return self.env._(
            "The leads with the same phone or email are closed or belong to another consultant: "
            "ask a manager to merge them."
        )

    def action_pi_link_duplicate_partner(self):
        """Attach the lead to the existing customer with the same phone or email."""
        self.ensure_one()
        partners = self.pi_duplicate_partner_ids.with_env(self.env)._filtered_access("read")
        if not partners:
            raise UserError(
                self.env._(
                    "The customer with the same phone or email belongs to another consultant: "
                    "ask a manager to link this lead."
                )
            )
        self.partner_id = partners.sorted(lambda partner: (not partner.user_id, -partner.id))[0]
        return True

    # ------------------------------------------------------------ MERGE
    def _pi_merge_destination(self):
        """The lead a merge of these keeps: the oldest open one (else the oldest).

        PI's duplicates are one person entered twice: the first record holds
        the real name, the source that brought them and the subject; stock
        would keep the most advanced one, often the copy typed in a hurry.
        """
        return min(self, key=lambda lead: (not lead.active, lead.create_date, lead.id)) if self else self

    def _sort_by_confidence_level(self, reverse=False):
        # a merge keeps the first lead of this order, and each field's first value
        ordered = super()._sort_by_confidence_level(reverse=reverse)
        destination_id = self.env.context.get("pi_merge_destination_id")  # see crm.merge.opportunity
        if reverse and destination_id in ordered.ids:
            destination = ordered.filtered(lambda lead: lead.id == destination_id)
            ordered = destination + (ordered - destination)
        return ordered

    def _merge_get_fields(self):
        return super()._merge_get_fields() + ["pi_class", "pi_group_id"]

    def _merge_dependences(self, opportunities):
        result = super()._merge_dependences(opportunities)
        # The calls and meetings of the merged leads are the customer's history:
        # moved, not deleted with them. Superuser as for the stock history, which
        # moves the leads' messages: the merge checks the user's right to write the
        # leads (the kept one is written right after, in the same transaction).
        interactions = self.env["pi.interaction"].sudo().search([("lead_id", "in", opportunities.ids)])
        interactions.write({"lead_id": self.id})
        return result

    # ------------------------------------------------------------ BUSINESS
    def _pi_consult_assignee(self):
        self.ensure_one()
        return self.user_id or self.team_id.user_id

    def _pi_schedule_consult_activity(self):
        """Give every unconsulted lead a To-Do "consult the new customer" for its
        salesperson, or for the sales team leader when it has none.

        Reassigning the lead moves the open activity to the new salesperson.
        """
        for lead in self.sudo():
            if lead.pi_consult_state != "new":
                continue
            assignee = lead._pi_consult_assignee()
            activity = lead.pi_consult_activity_id
            if activity.exists() and activity.active:
                if assignee and activity.user_id != assignee:
                    # the To-Do speaks its new owner's language, not the previous one's
                    activity.write({"user_id": assignee.id, "summary": lead._pi_consult_summary(assignee)})
                continue
            if not assignee:
                continue  # the managers' "not consulted yet" queue shows it
            lead.pi_consult_activity_id = lead.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=lead._pi_consult_summary(assignee),
                user_id=assignee.id,
                date_deadline=fields.Date.context_today(lead),
            )

    def _pi_consult_summary(self, assignee):
        return self.with_context(lang=assignee.lang or self.env.lang).env._("Consult the new customer")

    def _pi_close_consult_activity(self):
        """Mark the new-lead activity done once the lead is no longer new."""
        for lead in self.sudo():
            activity = lead.pi_consult_activity_id
            if lead.pi_consult_state != "new" and activity.exists() and activity.active:
                activity.action_feedback(feedback=self.env._("Consultation started"))

    def _pi_log_email_to_customer(self, message, partner_ids):
        """Log the email a staff member sent the customer from the lead's chatter
        as an outbound email interaction: like a call, it is a first contact (the
        lead leaves the "not consulted yet" queue) and it counts in the score.

        Only a message of the chatter's "Send message" (a comment, not an internal
        note) written by an internal user, emailed to the lead's customer or to a
        contact with the lead's email. Superuser to log it: the author could post
        on the lead (``message_post`` checked it), the interaction records that.

        :param partner_ids: the partners the message was emailed to
        """
        message = message.sudo()
        if message.message_type != "comment" or not message.subtype_id or message.subtype_id.internal:
            return
        author = message.author_id.user_ids.filtered(lambda user: not user.share)[:1]
        if not author:
            return
        recipients = self.env["res.partner"].sudo().browse(partner_ids)
        summary = (message.subject or html2plaintext(message.body or "")).strip()[:500]
        for lead in self.sudo():
            customer = recipients.filtered(
                lambda partner, lead=lead: partner == lead.partner_id
                or (lead.email_normalized and partner.email_normalized == lead.email_normalized)
            )[:1]
            if customer:
                lead._pi_log_interaction({
                    "channel": "email",
                    "direction": "out",
                    "date": message.date,
                    "summary": summary,
                    "partner_id": customer.id,
                    "user_id": author.id,
                    "mail_message_id": message.id,
                })

    @api.model
    def _pi_demo_archive_stock_leads(self):
        """Demo data: the leads of stock CRM's demo (a furniture shop's "Open
        Space Design"...) would fill PI's new-lead queue and lists. Archived, so
        lost, not deleted: other demo data may point at them.
        """
        stock_demo = self.env["ir.model.data"].search([("module", "=", "crm"), ("model", "=", self._name)])
        self.browse(stock_demo.mapped("res_id")).exists().filtered("active").action_archive()

    def _pi_log_interaction(self, values):
        """Log one interaction on this lead and return it.

        Meant for code that records contacts by itself (the intake API logging
        an inbound call, imports): ``values`` are ``pi.interaction`` values
        (``channel``, ``direction``, ``date``, ``summary``, ``customer_response``,
        ``result_id``, ``completed``, ``user_id``, ``intake``); ``lead_id`` and
        ``partner_id`` are filled from the lead, ``user_id`` defaults to the
        lead's salesperson. The lead moves to "consulting" like on any
        interaction, unless ``intake`` is true: the call that brought the lead
        in (switchboard) is kept in the history but the lead stays in the
        "not consulted yet" queue.
        """
        self.ensure_one()
        vals = {"channel": "call", "direction": "in", "user_id": (self.user_id or self.env.user).id}
        vals.update(values or {})
        vals["lead_id"] = self.id
        if self.partner_id and not vals.get("partner_id"):
            vals["partner_id"] = self.partner_id.id
        return self.env["pi.interaction"].create(vals)

    # ------------------------------------------------------------ NURTURE
    @api.model
    def _pi_nurture_domain(self, now, delay_days, cycle_days):
        """The leads due for the nurture email at ``now`` (pi.nurture).

        Flagged by staff, with a consultant (the email is rendered with their rights
        and speaks for them), an address not on the blacklist, not won, whose first
        interaction (or creation, without one) is ``delay_days`` old, not mailed in
        the last ``cycle_days``, and whose customer has no live contract (segment
        member or loyal). A hook: pi_contracts or another addon may narrow it.
        """
        start = fields.Datetime.subtract(now, days=delay_days)
        cycle = fields.Datetime.subtract(now, days=cycle_days)
        return [
            ("pi_nurture", "=", True),
            ("active", "=", True),
            ("user_id", "!=", False),
            ("email_normalized", "!=", False),
            ("is_blacklisted", "=", False),
            "|", ("stage_id", "=", False), ("stage_id.is_won", "=", False),
            "|", ("pi_first_interaction_date", "<=", start),
            "&", ("pi_first_interaction_date", "=", False), ("create_date", "<=", start),
            "|", ("pi_nurture_date", "=", False), ("pi_nurture_date", "<=", cycle),
            "|", ("partner_id", "=", False),
            ("partner_id.commercial_partner_id.pi_segment", "not in", ("member", "loyal")),
        ]

    @api.model
    def _pi_cron_expire_care(self, batch_size=5000):
        """Daily: leads and customers leave the care list once their last open or click is too old."""
        return super()._pi_cron_expire_care(batch_size) + self.env["res.partner"]._pi_cron_expire_care(batch_size)
    # ------------------------------------------------------------ campaigns
    @api.model
    def mail_allowed_qweb_expressions(self):
        """PI's merge fields in lead templates (intro kit, nurture), mailings and SMS ("Anh Minh",
        "Minh"), which managers write without being template editors (no code: stock's check)."""
        return super().mail_allowed_qweb_expressions() + (
            "object.pi_salutation", "object.pi_given_name", "object.partner_id.pi_salutation", "object.lang_code")

    @api.depends("contact_name", "partner_name")
    def _compute_pi_given_name(self):
        for lead in self:
            lead.pi_given_name = vn_names.given_name(lead.contact_name or lead.partner_name)

    # ------------------------------------------------------------ intake API
    # Leads made by the intake API (pi.intake), as the integration key's technical user.
    @api.model
    def _pi_create_from_website(self, clean, title, description):
        """A new lead from a website submission.

        :param dict clean: output of ``intake_validation.validate_lead``
        :param str title: the lead's title (see ``intake_text.lead_title``)
        :param description: the submission's summary (HTML)
        """
        Intake = self.env["pi.intake"]
        values = {
            "name": title,
            "type": "lead",
            "contact_name": clean["name"],
            "phone": clean["phone"] or False,
            "email_from": clean["email"] or False,
            "description": description,
            "expected_revenue": clean["amount"] or 0,
            "pi_gender": clean.get("gender") or False,
            "source_id": Intake._utm_source("website").id,
            "country_id": self._pi_country_of_phone(clean["phone"]),
            **self._pi_intake_assignment_values(),
        }
        medium = Intake._find_utm("utm.medium", clean["utm_medium"]) or self.env.ref(
            "utm.utm_medium_website", raise_if_not_found=False
        )
        if medium:
            values["medium_id"] = medium.id
        campaign = Intake._find_utm("utm.campaign", clean["utm_campaign"])
        if campaign:
            values["campaign_id"] = campaign.id
        values.update(self._pi_intake_province_values(clean.get("province")))
        return self._pi_intake_create(values)

    @api.model
    def _pi_intake_province_values(self, province):
        """The lead's province: the current unit the text names (a former name leads to its
        successor); a name no unit has is kept as typed, in the city."""
        if not province:
            return {}
        state = self.env["res.country.state"]._pi_find_vn_state(province)
        if state:
            return {"state_id": state.id, "country_id": state.country_id.id}
        return {"city": province}

    @api.model
    def _pi_create_from_call(self, clean):
        """A new lead for a switchboard call from an unknown number.

        :param dict clean: output of ``intake_validation.validate_pbx``
        """
        values = {
            "name": self.env._("Incoming call from %(number)s", number=vn_phone.display_phone(clean["caller"])),
            "type": "lead",
            "phone": clean["caller"],
            "source_id": self.env["pi.intake"]._utm_source("switchboard").id,
            "country_id": self._pi_country_of_phone(clean["caller"]),
            **self._pi_intake_assignment_values(),
        }
        medium = self.env.ref("utm.utm_medium_phone", raise_if_not_found=False)
        if medium:
            values["medium_id"] = medium.id
        return self._pi_intake_create(values)

    @api.model
    def _pi_intake_create(self, values):
        """Create a lead from outside.

        ``mail_create_nolog``: no generic "Lead created" chatter line (the
        submission is in the description and the new-lead queue is driven by
        the To-Do activity); ``mail_notrack``: nothing to track on a record
        that did not exist. Both spare work on every creation, and creation is
        what bounds the website endpoint's throughput (see bench/bench_intake.py).
        """
        return self.with_context(mail_create_nolog=True, mail_notrack=True).create(values)

    @api.model
    def _pi_intake_assignment_values(self):
        """Who a lead from outside goes to: nobody owns it yet, so it waits in
        the new-lead queue ("KH mới chưa tư vấn") without a salesperson (the
        technical user would otherwise become it by default).

        With stock rule-based assignment on (CRM settings,
        ``crm.lead.auto.assignment``) it is left without a team too, as
        ``crm.team._cron_assign_leads`` only takes such leads: the cron gives
        it a team and a salesperson, who then gets the To-Do. Otherwise it
        joins PI's default sales team (the first by sequence, stock
        ``crm.team._get_default_team_id``), whose leader (``crm.team.user_id``)
        gets the To-Do (``crm.lead._pi_schedule_consult_activity``).
        """
        if self.env["ir.config_parameter"].sudo().get_param("crm.lead.auto.assignment"):
            return {"user_id": False, "team_id": False}
        team = self.env["crm.team"]._get_default_team_id(domain=[("use_leads", "=", True)])
        return {"user_id": False, "team_id": team.id}

    @api.model
    def _pi_country_of_phone(self, number):
        """Vietnam for a +84 number (the lead's phone is then formatted as
        Vietnamese without reading the company's address), else nothing."""
        if number and number.startswith("+84"):
            return self.env.ref("base.vn").id
        return False

    def action_pi_update_provinces(self):
        """Move these leads off Vietnam's pre-2025 provinces (with the caller's rights)."""
        return self.env["res.country.state"]._pi_move_to_successors(self)
