from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import email_address, lead_scoring, marketing_care, vn_phone


class PiCustomerMixin(models.AbstractModel):
    """What leads and customers share: score, stars, last interaction,
    duplicates, the "log a call" and merge buttons, and how their phones and
    e-mail addresses are checked when typed.

    The inheriting model defines ``pi_interaction_ids`` (its interactions) and
    ``pi_group_id`` (its customer group), and the hooks ``_pi_find_duplicates``,
    ``_pi_mergeable_duplicates``, ``_pi_merge_refused_message`` and
    ``_pi_timeline_domain``. Everything here is staff only (``groups``).
    """

    _name = "pi.customer.mixin"
    _inherit = ["pi.care.mixin"]  # opens and clicks of PI's emails, the care list
    _description = "PI Customer Scoring and Duplicates"
    # the stock wizard the merge button opens
    _pi_merge_wizard = None

    pi_last_interaction_date = fields.Datetime(
        compute="_compute_pi_last_interaction_date", store=True, string="Last interaction", groups="base.group_user"
    )
    pi_score = fields.Integer(
        string="Score", compute="_compute_pi_score", store=True, compute_sudo=True, groups="base.group_user"
    )
    pi_stars = fields.Selection(
        lead_scoring.STARS,
        string="Stars",
        compute="_compute_pi_stars",
        store=True,
        compute_sudo=True,
        groups="base.group_user",
    )
    # duplicates: the records the user may open, and how many others exist
    pi_duplicate_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_pi_duplicates",
        string="Contacts with the same phone or email",
        groups="base.group_user",
    )
    pi_duplicate_count = fields.Integer(
        compute="_compute_pi_duplicates", string="Possible duplicates", groups="base.group_user"
    )
    pi_duplicate_hidden_count = fields.Integer(
        compute="_compute_pi_duplicates",
        string="Duplicates of other consultants",
        groups="base.group_user",
        help="Contacts with the same phone or email that another consultant looks after: counted, not shown.",
    )

    # ------------------------------------------------------------ SCORING
    @api.depends("pi_interaction_ids.date")
    def _compute_pi_last_interaction_date(self):
        for record in self:
            dates = record.pi_interaction_ids.mapped("date")
            record.pi_last_interaction_date = max(dates) if dates else False

    @api.depends("pi_interaction_ids.points", "pi_group_id.points", "pi_open_count", "pi_click_count")
    def _compute_pi_score(self):
        points = self.env["pi.channel.point"]._get_points_by_channel()
        for record in self:
            record.pi_score = lead_scoring.total_score(
                record.pi_interaction_ids.mapped("points"), record.pi_group_id.points
            ) + marketing_care.engagement_points(
                record.pi_open_count, record.pi_click_count,
                points.get(marketing_care.OPEN, 0), points.get(marketing_care.CLICK, 0),
            )

    @api.depends("pi_score")
    def _compute_pi_stars(self):
        Threshold = self.env["pi.star.threshold"]
        thresholds = Threshold._get_thresholds()
        for record in self:
            record.pi_stars = Threshold._stars_for(record.pi_score, thresholds)

    # ------------------------------------------------------------ DUPLICATES
    @api.model
    def _pi_duplicate_triggers(self):
        return ["phone_sanitized", "email_normalized"]

    @api.depends(lambda self: self._pi_duplicate_triggers())
    @api.depends_context("uid")
    def _compute_pi_duplicates(self):
        # sudo to find them, as stock duplicate detection does: a consultant must
        # learn the customer already exists even when it belongs to a colleague;
        # only those the user may open are listed, the others are counted.
        for record in self:
            found = record.sudo()._pi_find_duplicates()
            visible = {fname: records.with_env(self.env)._filtered_access("read") for fname, records in found.items()}
            record.update(visible)
            record.pi_duplicate_count = sum(len(records) for records in found.values())
            record.pi_duplicate_hidden_count = record.pi_duplicate_count - sum(
                len(records) for records in visible.values()
            )

    def _pi_find_duplicates(self):
        """The other records with this record's phone or e-mail, as superuser.

        :return: ``{field name: records}`` for the duplicate fields of the model
            (``pi_duplicate_partner_ids``, ...), the records found whoever owns them
        """
        raise NotImplementedError

    def _pi_partners_sharing_contact(self):
        """Partners (superuser) with this record's normalized e-mail or sanitized phone, at most 10 of each."""
        self.ensure_one()
        Partner = self.env["res.partner"].sudo()
        partners = Partner.browse()
        if self.email_normalized:
            partners |= Partner.search([("email_normalized", "=", self.email_normalized)], limit=10)
        if self.phone_sanitized:
            partners |= Partner.search(Partner._pi_get_phone_domain(self.phone_sanitized), limit=10)
        return partners

    # ------------------------------------------------------------ PHONES AND E-MAILS
    def _pi_phone_country(self, vals):
        """Country reading a phone of ``vals`` typed without country code: Vietnam."""
        return self.env.ref("base.vn")

    @api.model
    def _pi_format_phone(self, number, country=None):
        """``number`` in E.164 through stock phone formatting, after the
        Vietnamese pre-step (old 11-digit mobile prefixes); ``False`` when it
        is not a valid number."""
        return self._phone_format(
            number=vn_phone.prepare(number), country=country or self.env.ref("base.vn"), force_format="E164"
        )

    @api.model
    def _pi_phone_error_message(self, code, number):
        """The user's message for a ``vn_phone`` error code, in their language."""
        if code == vn_phone.EMPTY:
            return self.env._("The phone number is empty.")
        return self.env._(
            "The phone number “%(phone)s” is not valid. Type it like 0912 345 678 or +84 912 345 678.", phone=number
        )

    @api.model
    def _pi_normalize_phone(self, number, country=None):
        """``number`` in E.164, or a translated ValidationError (forms that
        must refuse a wrong number: PI's entry wizard, the investor portal)."""
        if not (number or "").strip():
            raise ValidationError(self._pi_phone_error_message(vn_phone.EMPTY, number or ""))
        formatted = self._pi_format_phone(number, country)
        if not formatted:
            raise ValidationError(self._pi_phone_error_message(vn_phone.INVALID, number))
        return formatted

    def _pi_normalize_phone_vals(self, vals):
        """Normalize the valid phones of ``vals`` in place to E.164.

        Invalid ones are kept as typed (records written by other modules: stock
        demo data, imports of other apps), unless the context key
        ``pi_phone_check`` (set by PI's own forms and wizards) asks to refuse
        them: then a translated error is raised before anything is written.
        """
        country = None
        for fname in self._phone_get_number_fields():
            raw = vals.get(fname)
            if not raw or not isinstance(raw, str):
                continue
            if country is None:
                country = self._pi_phone_country(vals)
            formatted = self._pi_format_phone(raw, country)
            if formatted:
                vals[fname] = formatted
            elif self.env.context.get("pi_phone_check"):
                raise ValidationError(self._pi_phone_error_message(vn_phone.INVALID, raw))
        return vals

    @api.model
    def _pi_check_email_vals(self, vals):
        """Refuse an e-mail address staff type that is not one (``hanh.do@@example``).

        Staff and the API (whose technical user is internal) are checked, whatever
        the screen or RPC call; superuser code (data files, the mail gateway) and
        portal users (the portal checks its own forms) are not.
        """
        value = vals.get(self._primary_email)
        if not value or not isinstance(value, str) or self.env.su or not self.env.user._is_internal():
            return
        invalid = email_address.invalid_addresses(value)
        if invalid:
            raise ValidationError(
                self.env._(
                    "The email “%(email)s” is not valid: type it like ten@congty.vn.", email=", ".join(invalid)
                )
            )

    # ------------------------------------------------------------ ACTIONS
    def action_pi_log_call(self):
        self.ensure_one()
        return self.env["pi.log.call"]._action_open(self)

    def action_pi_timeline(self):
        self.ensure_one()
        return self.env["pi.timeline"]._action_open(self._pi_timeline_domain(), self.display_name)

    def _pi_timeline_domain(self):
        """Domain of ``pi.timeline`` lines of this record."""
        raise NotImplementedError

    def action_pi_merge_duplicates(self):
        """Open the stock merge wizard on this record and the duplicates the user may change."""
        self.ensure_one()
        duplicates = self._pi_mergeable_duplicates()
        if not duplicates:
            raise UserError(self._pi_merge_refused_message())
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge"),
            "res_model": self._pi_merge_wizard,
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self._pi_merge_order(duplicates).ids},
        }

    def _pi_mergeable_duplicates(self):
        """The duplicates the merge button offers: listed (readable) and writable by the user."""
        raise NotImplementedError

    def _pi_merge_refused_message(self):
        """Why the merge button has nothing to merge, for the user."""
        raise NotImplementedError

    def _pi_merge_order(self, duplicates):
        """This record and ``duplicates`` in the order the stock wizard expects them."""
        return self | duplicates
