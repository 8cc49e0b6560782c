import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import hmac

from ..tools import customer_segment, vn_names

# Written only by their computes (see base._pi_check_computed_values).
COMPUTED_ONLY = ("pi_segment", "pi_score", "pi_stars", "pi_last_interaction_date")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "pi.phone.lookup.mixin", "pi.customer.mixin"]
    _pi_merge_wizard = "base.partner.merge.automatic.wizard"

    pi_gender = fields.Selection(
        vn_names.GENDER_SELECTION,
        string="Gender",
        tracking=True,
    )
    pi_birthdate = fields.Date(string="Birthdate", tracking=True)
    pi_consent_ids = fields.One2many("pi.consent", "partner_id", string="Consents", groups="base.group_user")
    pi_founding_date = fields.Date(
        string="Founding Date", tracking=True, help="A company's founding day: PI greets it on each anniversary."
    )
    pi_salutation = fields.Char(
        string="Salutation",
        compute="_compute_pi_salutation",
        store=True,
        help="How letters, emails and SMS address this person, e.g. 'Anh Minh' or 'Chị Lan'.",
    )

    # merge fields of campaigns ("Anh Minh", "Minh") and the birthday filter
    pi_given_name = fields.Char(
        string="Given Name", compute="_compute_pi_given_name", groups="base.group_user",
        help="The last word of the name, as campaigns address people: 'Minh' for 'Nguyễn Văn Minh'.")
    pi_birthday_this_month = fields.Boolean(
        string="Birthday This Month", compute="_compute_pi_birthday_this_month",
        search="_search_pi_birthday_this_month", groups="base.group_user")

    @api.depends("pi_birthdate")
    def _compute_pi_birthday_this_month(self):
        month = fields.Datetime.context_timestamp(self.with_context(tz="Asia/Ho_Chi_Minh"), fields.Datetime.now()).month
        for partner in self:
            partner.pi_birthday_this_month = bool(partner.pi_birthdate) and partner.pi_birthdate.month == month

    @api.depends("name", "pi_gender", "is_company")
    def _compute_pi_salutation(self):
        for partner in self:
            if partner.is_company:
                partner.pi_salutation = vn_names.UNKNOWN_SALUTATION
            else:
                partner.pi_salutation = vn_names.salutation(partner.pi_gender, partner.name)

    # consultation profile
    pi_segment = fields.Selection(
        [
            ("raw", "Contact"),
            ("lead", "Prospect"),
            ("member", "Member"),
            ("loyal", "Loyal"),
            ("former", "Former customer"),
        ],
        string="Segment",
        compute="_compute_pi_segment",
        store=True,
        compute_sudo=True,
        tracking=True,
        index=True,
        groups="base.group_user",
        help="Prospect: has leads, no signed contract. Member: at least one live contract. "
        "Loyal: a member meeting the loyalty rule. Former: every contract settled.",
    )
    # internal ranking and history: staff only (groups), an investor reading their
    # own partner over RPC gets none of them
    pi_tier_id = fields.Many2one(
        "pi.customer.tier", string="Tier", tracking=True, index=True, groups="base.group_user"
    )
    pi_group_id = fields.Many2one(
        "pi.customer.group", string="Customer group", tracking=True, index=True, groups="base.group_user"
    )
    pi_source_id = fields.Many2one("utm.source", string="Source", tracking=True, groups="base.group_user")
    pi_lead_ids = fields.One2many(
        "crm.lead", "partner_id", string="All leads", context={"active_test": False}, groups="base.group_user"
    )
    pi_interaction_ids = fields.One2many(
        "pi.interaction", "partner_id", string="Interactions", groups="base.group_user"
    )
    # score, stars, last interaction and duplicates: pi.customer.mixin

    # Stock stores these without an index on partners (crm.lead has its own):
    # the intake API's duplicate checks are equalities on them.
    phone_sanitized = fields.Char(index="btree_not_null")
    email_normalized = fields.Char(index="btree_not_null")

    @api.depends("pi_lead_ids")
    def _compute_pi_segment(self):
        """Extend with ``@api.depends`` on contract fields to follow contract states;
        the contract figures come from :meth:`_pi_contract_stats`."""
        stats = self._pi_contract_stats()
        params = self.env["ir.config_parameter"].sudo()
        min_renewals = int(params.get_param("pi_crm.loyal_min_renewals", 0) or 0)
        min_principal = float(params.get_param("pi_crm.loyal_min_principal", 0) or 0)
        for partner in self:
            partner_stats = stats.get(partner.id) or {}
            partner.pi_segment = customer_segment.segment(
                has_leads=bool(partner.pi_lead_ids),
                contract_counts=partner_stats.get("counts") or {},
                renewal_count=partner_stats.get("renewal_count", 0),
                total_principal=partner_stats.get("total_principal", 0),
                loyal_min_renewals=min_renewals,
                loyal_min_principal=min_principal,
            )

    def _pi_find_duplicates(self):
        self.ensure_one()
        # a company and its own contacts share phones and emails: not duplicates
        commercial = self._origin.commercial_partner_id
        partner_id = self._origin.id
        duplicates = self._pi_partners_sharing_contact().filtered(
            lambda dup: dup.id != partner_id and (not commercial or dup.commercial_partner_id != commercial)
        )
        return {"pi_duplicate_partner_ids": duplicates}

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        # a contact under a colleague's customer would copy its address and
        # commercial fields (stock _fields_sync): refused
        self._pi_check_link_access([vals.get("parent_id") for vals in vals_list])
        self._pi_drop_computed_values(vals_list, COMPUTED_ONLY)
        consultant_only = self._pi_is_consultant_only()
        for vals in vals_list:
            if consultant_only and not vals.get("user_id"):
                # the consultant who adds a customer looks after it (they may
                # write only the partners they are responsible for)
                vals["user_id"] = self.env.uid
            self._pi_normalize_phone_vals(vals)
            self._pi_check_email_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._pi_check_computed_values(vals, COMPUTED_ONLY)
        if vals.get("parent_id") and any(partner.parent_id.id != vals["parent_id"] for partner in self):
            self._pi_check_link_access([vals["parent_id"]])
        self._pi_normalize_phone_vals(vals)
        self._pi_check_email_vals(vals)
        return super().write(vals)

    def _handle_first_contact_creation(self):
        # stock copies the first contact's address onto an address-less parent:
        # not onto a parent the user may not change (e.g. the company itself)
        if self.parent_id and not self.parent_id.has_access("write"):
            return
        super()._handle_first_contact_creation()

    # ------------------------------------------------------------ ACTIONS
    def _pi_timeline_domain(self):
        return [("partner_id", "in", (self | self.child_ids).ids)]

    def _pi_mergeable_duplicates(self):
        return self.pi_duplicate_partner_ids.with_env(self.env)._filtered_access("write")

    def _pi_merge_refused_message(self):
        return self.env._(
            "The contacts with the same phone or email belong to another consultant: ask a manager to merge them."
        )

    def _pi_merge_order(self, duplicates):
        # the stock wizard keeps the last of its oldest active contacts: the oldest
        # is put last, so a tie on the creation time keeps it too
        partners = self | duplicates
        oldest = min(partners, key=lambda partner: (not partner.active, partner.create_date, partner.id))
        return (partners - oldest) | oldest

    # ------------------------------------------------------------ BUSINESS
    @api.model
    def mail_allowed_qweb_expressions(self):
        """Placeholders of PI's greeting templates and campaigns (mailings, SMS), which
        managers edit without being template editors."""
        return super().mail_allowed_qweb_expressions() + (
            "object.pi_salutation", "object.lang", "object.pi_given_name")

    # ------------------------------------------------------------ campaigns
    @api.depends("name", "is_company")
    def _compute_pi_given_name(self):
        for partner in self:
            partner.pi_given_name = "" if partner.is_company else vn_names.given_name(partner.name)

    def _search_pi_birthday_this_month(self, operator, value):
        """Partners born in the current month (Vietnam's calendar), for the
        "birthdays this month" recipient filter of campaigns."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on the birthday month."))
        month = fields.Datetime.context_timestamp(self.with_context(tz="Asia/Ho_Chi_Minh"), fields.Datetime.now()).month
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE pi_birthdate IS NOT NULL AND EXTRACT(MONTH FROM pi_birthdate) = %s",
            [month])
        ids = [row[0] for row in self.env.cr.fetchall()]
        return [("id", "in" if (operator == "=") == value else "not in", ids)]

    @api.model
    def _pi_is_consultant_only(self):
        """Whether the current user (not superuser) is a consultant without the manager's rights."""
        return (
            not self.env.su
            and self.env.user.has_group("pi_crm.group_pi_consultant")
            and not self.env.user.has_group("pi_crm.group_pi_manager")
        )

    def _pi_phone_country(self, vals):
        """A phone typed without country code is read in the partner's country
        (the one being written, else that of the partners written when they
        share one), Vietnam by default."""
        country_ids = {vals["country_id"]} if "country_id" in vals else set(self.country_id.ids)
        country = self.env["res.country"].browse(country_ids.pop() if len(country_ids) == 1 else None)
        return country if country.code else super()._pi_phone_country(vals)

    def _pi_contract_stats(self):
        """Contract figures of each partner, for the lifecycle segment.

        Hook for the contracts addon; without contracts every figure is zero.

        :return: ``{partner_id: {"counts": {state: int}, "renewal_count": int,
            "total_principal": number}}`` with ``state`` among draft, active,
            matured, settled, renewed and cancelled.
        """
        return {partner.id: {"counts": {}, "renewal_count": 0, "total_principal": 0} for partner in self}

    def _pi_recompute_segment(self):
        """Recompute the segment of these partners now (e.g. after a contract changed)."""
        self.env.add_to_compute(self._fields["pi_segment"], self)
        self.flush_recordset(["pi_segment"])

    def action_pi_update_provinces(self):
        """Move these partners off Vietnam's pre-2025 provinces (with the caller's rights).

        :returns: how many moved
        """
        return self.env["res.country.state"]._pi_move_to_successors(self)

    # ------------------------------------------------ personal data (Decree 13/2023/NĐ-CP)
    def _pi_personal_data(self):
        """Everything the suite keeps about this person, as plain data (read with the caller's rights).

        :returns: ``{section title: list of {label: value}}``; addons add their sections.
        """
        self.ensure_one()

        def rows(records, field_names):
            fields_ = {name: records._fields[name] for name in field_names if name in records._fields}
            result = []
            for record in records:
                row = {}
                for name, field in fields_.items():
                    value = record[name]
                    if field.type in ("many2one", "many2many", "one2many"):
                        value = ", ".join(value.mapped("display_name"))
                    elif field.type == "selection":
                        value = dict(field._description_selection(self.env)).get(value, value or "")
                    elif field.type == "date":
                        value = fields.Date.to_string(value)
                    elif field.type == "datetime":
                        value = fields.Datetime.to_string(value)
                    row[field._description_string(self.env)] = value if value not in (None, False) else ""
                result.append(row)
            return result

        sections = {
            self.env._("Customer"): rows(self, [
                "name", "pi_gender", "pi_birthdate", "email", "phone", "mobile", "street", "street2", "city",
                "state_id", "country_id", "vat", "lang", "user_id", "pi_segment", "pi_id_number", "pi_id_issue_date",
                "pi_id_issue_place", "create_date"]),
            self.env._("Leads"): rows(self.env["crm.lead"].with_context(active_test=False).search(
                [("partner_id", "=", self.id)]), ["name", "contact_name", "email_from", "phone", "source_id",
                                                  "stage_id", "create_date"]),
            self.env._("Interactions"): rows(self.env["pi.interaction"].search([("partner_id", "=", self.id)]), [
                "date", "channel", "direction", "summary", "customer_response", "result_id", "user_id"]),
            self.env._("Consents"): rows(self.pi_consent_ids, [
                "channel", "purpose", "state", "source", "date_granted", "date_withdrawn", "evidence"]),
        }
        return sections

    def action_pi_export_personal_data(self):
        """A person's request for their data: a JSON file and a PDF of everything kept about them."""
        self.ensure_one()
        self._pi_check_data_officer()
        data = self._pi_personal_data()
        attachment = self.env["ir.attachment"].create({
            "name": f"personal-data-{self.id}.json", "res_model": self._name, "res_id": self.id,
            "mimetype": "application/json",
            "raw": json.dumps({"partner_id": self.id, "exported_on": fields.Datetime.to_string(fields.Datetime.now()),
                               "sections": data}, ensure_ascii=False, indent=2, default=str).encode(),
        })
        self.message_post(body=self.env._("Personal data exported at the customer's request."),
                          attachment_ids=attachment.ids)
        return self.env.ref("pi_crm.action_report_pi_personal_data").report_action(self)

    def _pi_check_data_officer(self):
        if not self.env.user.has_group("pi_crm.group_pi_manager"):
            raise AccessError(self.env._("Only a manager answers a person's requests about their data."))

    def _pi_retention_blockers(self):
        """Why this partner's data must still be kept (legal retention): a list of reasons; addons add theirs."""
        return []

    def action_pi_anonymize(self):
        """Erase who the person is, on request, unless the law still requires PI to keep it."""
        if not self.env.user.has_group("pi_crm.group_pi_admin"):
            raise AccessError(self.env._("Only a full-rights administrator may anonymise a customer."))
        for partner in self:
            blockers = partner._pi_retention_blockers()
            if blockers:
                raise UserError(self.env._(
                    "%(name)s cannot be anonymised yet: %(reasons)s",
                    name=partner.display_name, reasons="; ".join(blockers)))
        for partner in self:
            label = self.env._("Anonymised customer #%(id)s", id=partner.id)
            leads = self.env["crm.lead"].with_context(active_test=False).search([("partner_id", "=", partner.id)])
            leads.write({"contact_name": label, "partner_name": False, "email_from": False, "phone": False,
                         "street": False, "street2": False, "city": False, "description": False})
            self.env["pi.interaction"].search([("partner_id", "=", partner.id)]).write(
                {"summary": False, "customer_response": False})
            self.env["ir.attachment"].search([("res_model", "=", partner._name), ("res_id", "=", partner.id)]).unlink()
            partner._pi_anonymize_fields(label)
            partner.message_ids.filtered(lambda message: message.message_type != "notification").unlink()
            partner.message_post(body=self.env._("Personal data erased at the customer's request."))
        return True

    def _pi_anonymize_fields(self, label):
        self.write({"name": label, "email": False, "phone": False, "mobile": False, "street": False,
                    "street2": False, "city": False, "zip": False, "vat": False, "pi_birthdate": False,
                    "website": False, "comment": False, "image_1920": False, "active": False})

    def _pi_optout_token(self, channel):
        self.ensure_one()
        return hmac(self.env(su=True), "pi-marketing-optout", (self.id, channel))

    def _pi_optout_url(self, channel="email"):
        """The signed link of this person's marketing opt-out on ``channel`` (for templates)."""
        self.ensure_one()
        base = self.get_base_url()
        return f"{base}/pi/optout/{self.id}/{channel}/{self._pi_optout_token(channel)}"

    def _pi_withdraw_marketing(self, channel, source):
        """Withdraw this person's marketing consent on ``channel`` (recorded withdrawn if none was given)."""
        self.ensure_one()
        Consent = self.env["pi.consent"]
        partner = self.commercial_partner_id
        consent = Consent.search([("partner_id", "=", partner.id), ("channel", "=", channel),
                                  ("purpose", "=", "marketing")], limit=1)
        if not consent:
            consent = Consent.with_context(pi_consent_action=True).create({
                "partner_id": partner.id, "channel": channel, "purpose": "marketing", "source": source})
        consent.action_withdraw(source=source)
        return consent
