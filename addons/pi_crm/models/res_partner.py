from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import customer_segment, lead_scoring, vn_names, vn_phone
from . import crm_lead
from .pi_access import STAFF_ONLY, check_computed_values, check_link_access, drop_computed_values

# Written only by their computes (see pi_access.check_computed_values).
COMPUTED_ONLY = ("pi_segment", "pi_score", "pi_stars", "pi_last_interaction_date")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "pi.phone.lookup.mixin"]

    pi_gender = fields.Selection(
        [("male", "Male"), ("female", "Female"), ("other", "Other")],
        string="Gender",
        tracking=True,
    )
    pi_birthdate = fields.Date(string="Birthdate", tracking=True)
    pi_salutation = fields.Char(
        string="Salutation",
        compute="_compute_pi_salutation",
        store=True,
        help="How letters, emails and SMS address this person, e.g. 'Anh Minh' or 'Chị Lan'.",
    )

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
        groups=STAFF_ONLY,
        help="Prospect: has leads, no signed contract. Member: at least one live contract. "
        "Loyal: a member meeting the loyalty rule. Former: every contract settled.",
    )
    # internal ranking and history: staff only (groups), an investor reading their
    # own partner over RPC gets none of them
    pi_tier_id = fields.Many2one(
        "pi.customer.tier", string="Tier", tracking=True, index=True, groups=STAFF_ONLY
    )
    pi_group_id = fields.Many2one(
        "pi.customer.group", string="Customer group", tracking=True, index=True, groups=STAFF_ONLY
    )
    pi_source_id = fields.Many2one("utm.source", string="Source", tracking=True, groups=STAFF_ONLY)
    pi_lead_ids = fields.One2many(
        "crm.lead", "partner_id", string="All leads", context={"active_test": False}, groups=STAFF_ONLY
    )
    pi_interaction_ids = fields.One2many("pi.interaction", "partner_id", string="Interactions", groups=STAFF_ONLY)
    pi_last_interaction_date = fields.Datetime(
        compute="_compute_pi_last_interaction_date", store=True, string="Last interaction", groups=STAFF_ONLY
    )
    pi_score = fields.Integer(
        string="Score", compute="_compute_pi_score", store=True, compute_sudo=True, groups=STAFF_ONLY
    )
    pi_stars = fields.Selection(
        crm_lead.STARS, string="Stars", compute="_compute_pi_stars", store=True, compute_sudo=True, groups=STAFF_ONLY
    )

    # Stock stores these without an index on partners (crm.lead has its own):
    # the intake API's duplicate checks are equalities on them.
    phone_sanitized = fields.Char(index="btree_not_null")
    email_normalized = fields.Char(index="btree_not_null")

    # duplicates: the records the user may open, and how many others exist
    pi_duplicate_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_pi_duplicate_partner_ids",
        string="Contacts with the same phone or email",
        groups=STAFF_ONLY,
    )
    pi_duplicate_count = fields.Integer(
        compute="_compute_pi_duplicate_partner_ids", string="Possible duplicates", groups=STAFF_ONLY
    )
    pi_duplicate_hidden_count = fields.Integer(
        compute="_compute_pi_duplicate_partner_ids",
        string="Duplicates of other consultants",
        groups=STAFF_ONLY,
        help="Contacts with the same phone or email that another consultant looks after: counted, not shown.",
    )

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

    @api.depends("pi_interaction_ids.date")
    def _compute_pi_last_interaction_date(self):
        for partner in self:
            dates = partner.pi_interaction_ids.mapped("date")
            partner.pi_last_interaction_date = max(dates) if dates else False

    @api.depends("pi_interaction_ids.points", "pi_group_id.points")
    def _compute_pi_score(self):
        for partner in self:
            partner.pi_score = lead_scoring.total_score(
                partner.pi_interaction_ids.mapped("points"), partner.pi_group_id.points
            )

    @api.depends("pi_score")
    def _compute_pi_stars(self):
        thresholds = self.env["pi.star.threshold"]._get_thresholds()
        for partner in self:
            partner.pi_stars = self.env["pi.star.threshold"]._stars_for(partner.pi_score, thresholds)

    @api.depends("phone_sanitized", "email_normalized")
    @api.depends_context("uid")
    def _compute_pi_duplicate_partner_ids(self):
        # sudo to find them: a consultant must learn the customer exists even when
        # a colleague looks after it; only those the user may open are listed
        Partner = self.env["res.partner"].sudo()
        for partner in self:
            duplicates = Partner.browse()
            if partner.email_normalized:
                duplicates |= Partner.search([("email_normalized", "=", partner.email_normalized)], limit=10)
            if partner.phone_sanitized:
                duplicates |= Partner.search(Partner._pi_get_phone_domain(partner.phone_sanitized), limit=10)
            # a company and its own contacts share phones and emails: not duplicates
            commercial = partner._origin.commercial_partner_id
            duplicates = duplicates.filtered(
                lambda dup, commercial=commercial: dup.id != partner._origin.id
                and (not commercial or dup.commercial_partner_id != commercial)
            )
            visible = duplicates.with_env(self.env)._filtered_access("read")
            partner.pi_duplicate_partner_ids = visible
            partner.pi_duplicate_count = len(duplicates)
            partner.pi_duplicate_hidden_count = len(duplicates) - len(visible)

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        # a contact under a colleague's customer would copy its address and
        # commercial fields (stock _fields_sync): refused
        check_link_access(self.env, "res.partner", [vals.get("parent_id") for vals in vals_list])
        drop_computed_values(vals_list, COMPUTED_ONLY)
        consultant_only = self._pi_is_consultant_only()
        for vals in vals_list:
            if consultant_only and not vals.get("user_id"):
                # the consultant who adds a customer looks after it (they may
                # write only the partners they are responsible for)
                vals["user_id"] = self.env.uid
            crm_lead.normalize_phone_vals(self.env, vals, region=self._pi_phone_region(vals.get("country_id")))
        return super().create(vals_list)

    def write(self, vals):
        check_computed_values(self, vals, COMPUTED_ONLY)
        if vals.get("parent_id") and any(partner.parent_id.id != vals["parent_id"] for partner in self):
            check_link_access(self.env, "res.partner", [vals["parent_id"]])
        if any(vals.get(field_name) for field_name in crm_lead.PHONE_FIELDS):
            country_ids = {vals["country_id"]} if "country_id" in vals else set(self.country_id.ids)
            region = self._pi_phone_region(country_ids.pop() if len(country_ids) == 1 else None)
            crm_lead.normalize_phone_vals(self.env, vals, region=region)
        return super().write(vals)

    def _handle_first_contact_creation(self):
        # stock copies the first contact's address onto an address-less parent:
        # not onto a parent the user may not change (e.g. the company itself)
        if self.parent_id and not self.parent_id.has_access("write"):
            return
        super()._handle_first_contact_creation()

    # ------------------------------------------------------------ ACTIONS
    def action_pi_log_call(self):
        self.ensure_one()
        return self.env["pi.log.call"]._action_open(partner=self)

    def action_pi_merge_duplicates(self):
        """Open the stock contact merge wizard on this contact and its visible duplicates."""
        self.ensure_one()
        duplicates = self.pi_duplicate_partner_ids.with_env(self.env)._filtered_access("write")
        if not duplicates:
            raise UserError(
                self.env._(
                    "The contacts with the same phone or email belong to another consultant: "
                    "ask a manager to merge them."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge"),
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": (self | duplicates).ids},
        }

    def action_pi_timeline(self):
        self.ensure_one()
        partners = self | self.child_ids
        return self.env["pi.timeline"]._action_open([("partner_id", "in", partners.ids)], self.display_name)

    # ------------------------------------------------------------ BUSINESS
    @api.model
    def _pi_is_consultant_only(self):
        """Whether the current user (not superuser) is a consultant without the manager's rights."""
        return (
            not self.env.su
            and self.env.user.has_group("pi_crm.group_pi_consultant")
            and not self.env.user.has_group("pi_crm.group_pi_manager")
        )

    @api.model
    def _pi_phone_region(self, country_id):
        """Region used to read a phone typed without country code: the partner's
        country, Vietnam by default."""
        country = self.env["res.country"].browse(country_id) if country_id else self.env["res.country"]
        return country.code or vn_phone.DEFAULT_REGION

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
