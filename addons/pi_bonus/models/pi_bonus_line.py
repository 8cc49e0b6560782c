from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import bonus_amount, bonus_write


class PiBonusLine(models.Model):
    """A consultant's bonus on one contract: provisional at activation, official
    once the signed original is scanned, cancelled with the contract.

    Made and changed by the contract's actions only (``_pi_create_for_contracts``,
    ``_pi_set_official``, ``_pi_set_provisional``, ``_pi_cancel``) and by the
    full-rights administrator's correction (``pi.bonus.line.correct``): those write
    with the marker of ``tools/bonus_write.py``; any other create, write or unlink
    of the line's own fields is refused, superuser included. The rule's rate and the
    amount are copied when the line is made: a later rule change never alters it.
    """

    _name = "pi.bonus.line"
    _description = "Consultant Bonus Line"
    _inherit = ["mail.thread"]
    _order = "date_provisional desc, id desc"

    contract_id = fields.Many2one("pi.investment.contract", required=True, index=True, ondelete="restrict",
                                  readonly=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, string="Investor")
    user_id = fields.Many2one("res.users", string="Consultant", required=True, index=True, readonly=True,
                              help="The contract's consultant when it was activated: the bonus stays theirs.")
    rule_id = fields.Many2one("pi.bonus.rule", readonly=True, ondelete="restrict")
    is_renewal = fields.Boolean(readonly=True)
    principal = fields.Monetary(currency_field="currency_id", readonly=True)
    rate = fields.Float(string="Bonus Rate (%)", digits=(5, 2), readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True, tracking=True)
    state = fields.Selection(
        [("provisional", "Provisional"), ("official", "Official"), ("cancelled", "Cancelled")],
        default="provisional", required=True, readonly=True, index=True, tracking=True,
    )
    date_provisional = fields.Date(string="Provisional On", readonly=True, index=True)
    date_official = fields.Date(string="Official On", readonly=True, index=True)
    date_cancelled = fields.Date(string="Cancelled On", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # What the rule gave, before any correction
    amount_computed = fields.Monetary(string="Amount from the Rule", currency_field="currency_id", readonly=True,
                                      help="The amount the rule gave at activation, before any correction.")
    is_corrected = fields.Boolean(string="Corrected", readonly=True,
                                  help="A full-rights administrator corrected the amount (reason in the chatter).")
    is_backfill = fields.Boolean(
        string="Made at Installation", readonly=True,
        help="The contract was activated before bonuses were computed: the line was made from the rules in "
             "force when the bonus module was installed.")

    _sql_constraints = [
        # One bonus per contract: activating twice, a rerun or two workers at once never make a second one.
        ("contract_unique", "unique(contract_id)", "A contract earns one bonus line."),
        ("amount_not_negative", "CHECK(amount >= 0)", "A bonus amount cannot be negative."),
    ]

    @api.depends("contract_id", "user_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.contract_id.sudo().name or ''} – {line.user_id.sudo().name or ''}"

    # ------------------------------------------------------------------ guard
    def _is_action_write(self):
        return bonus_write.is_action_write(self.env.context)

    def _action_refusal(self):
        return UserError(self.env._(
            "Bonus lines are made and changed by the contracts' actions only (activation, the scan tick, "
            "cancellation): their amounts and states cannot be written by hand. A full-rights administrator "
            "corrects an amount with a reason (Correct Amount)."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_action_write():
            self.browse().check_access("create")  # who may not create at all is told so first
            raise self._action_refusal()
        return super().create(vals_list)

    def write(self, vals):
        if not self._is_action_write() and bonus_write.guarded_fields(self._fields) & vals.keys():
            self.check_access("write")
            raise self._action_refusal()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_by_hand(self):
        if not self._is_action_write():
            raise self._action_refusal()

    def _write_from_action(self, vals):
        """Written by the actions after their own checks (the line is the action's
        record, not the caller's: consultants only read theirs)."""
        return self.sudo().with_context(**bonus_write.action_context()).write(vals)

    # ------------------------------------------------------------------ making lines
    @api.model
    def _pi_rule_for(self, contract, rules_by_company=None):
        """The rule in force now for ``contract``: its company's active rule with the
        highest minimum principal not above the principal.

        :param rules_by_company: a dict filled and reused across calls (one search per company)
        """
        rules_by_company = {} if rules_by_company is None else rules_by_company
        company = contract.company_id
        if company not in rules_by_company:
            # Rules are the admin's policy, which consultants may not read: read as superuser.
            rules_by_company[company] = self.env["pi.bonus.rule"].sudo().search(
                [("company_id", "=", company.id)], order="min_principal, id")
        rules = rules_by_company[company]
        key = bonus_amount.pick_rule(((rule.id, rule.min_principal) for rule in rules), contract.principal)
        return rules.browse(key) if key else rules.browse()

    @api.model
    def _pi_prepare_values(self, contract, rule, today, backfill=False):
        amount = bonus_amount.bonus_amount(contract.principal, rule.rate)
        official = contract.scanned_original
        return {
            "contract_id": contract.id,
            "user_id": contract.user_id.id,
            "rule_id": rule.id,
            "is_renewal": bool(contract.renewed_from_id),
            "principal": contract.principal,
            "rate": rule.rate,
            "amount": amount,
            "amount_computed": amount,
            "is_corrected": False,
            "state": "official" if official else "provisional",
            "date_provisional": contract.date_activated or today,
            "date_official": (contract.date_activated or today) if official else False,
            "date_cancelled": False,
            "company_id": contract.company_id.id,
            "is_backfill": backfill,
        }

    @api.model
    def _pi_create_for_contracts(self, contracts, backfill=False):
        """The bonus lines of ``contracts``, just activated, from the rules in force
        now. A contract that has a line keeps it (activating twice makes no second
        line); one whose line was cancelled (cancelled, set back to draft and
        activated again) gets it back from today's rules. No line when no rule
        applies, without a consultant, or for a renewal under a rule that gives renewals no bonus.

        Called by the contract's actions after their checks.
        :return: the lines made or revived
        """
        # No "created" note: the line's chatter starts with what happens to it.
        Line = self.sudo().with_context(mail_create_nolog=True, **bonus_write.action_context())
        contracts = contracts.sudo()
        today = fields.Date.context_today(self)
        existing = {line.contract_id: line for line in Line.search([("contract_id", "in", contracts.ids)])}
        vals_list, revived, rules_by_company, months = [], Line.browse(), {}, set()
        for contract in contracts:
            line = existing.get(contract)
            if line and line.state != "cancelled":
                continue
            rule = self._pi_rule_for(contract, rules_by_company)
            if not contract.user_id or not rule or (contract.renewed_from_id and not rule.apply_to_renewals):
                continue
            values = self._pi_prepare_values(contract, rule, today, backfill=backfill)
            if line:
                months |= line._pi_months()
                line.write(values)
                line.message_post(body=self.env._(
                    "The contract was activated again: the bonus is computed anew from the rules in force."))
                revived |= line
            else:
                vals_list.append(values)
        lines = Line.create(vals_list) | revived
        lines._pi_refresh_statements(months)
        return lines.with_env(self.env)

    def _pi_set_official(self):
        """The original was collected and scanned: provisional lines become official."""
        self.filtered(lambda line: line.state == "provisional")._pi_change(
            {"state": "official", "date_official": fields.Date.context_today(self)})

    def _pi_set_provisional(self):
        """The scan tick was taken back: official lines are provisional again."""
        self.filtered(lambda line: line.state == "official")._pi_change(
            {"state": "provisional", "date_official": False})

    def _pi_cancel(self):
        self.filtered(lambda line: line.state != "cancelled")._pi_change(
            {"state": "cancelled", "date_cancelled": fields.Date.context_today(self)})

    def _pi_change(self, vals):
        """Write ``vals`` as the actions do; the draft statements of the months the
        lines were in before and are in after follow."""
        months = self._pi_months()
        self._write_from_action(vals)
        self._pi_refresh_statements(months)

    def _pi_months(self):
        """The first days of the months these lines belong to (activated, official or cancelled in)."""
        return {bonus_amount.month_start(day) for line in self.sudo()
                for day in (line.date_provisional, line.date_official, line.date_cancelled) if day}

    def _pi_refresh_statements(self, months=()):
        """The draft statements these lines belong to (and those of ``months``) follow their changes."""
        if not self:
            return
        statements = self.env["pi.bonus.statement"].sudo().search([
            ("user_id", "in", self.sudo().user_id.ids), ("date_month", "in", list(self._pi_months() | set(months))),
            ("state", "=", "draft")])
        statements._pi_refresh()

    # ------------------------------------------------------------------ correction
    def _pi_correct(self, amount, reason):
        """The full-rights administrator's correction of the amount, with its reason
        in the chatter (the amount's change is tracked there too)."""
        self.ensure_one()
        if not self.env.user.has_group("pi_crm.group_pi_admin"):
            raise AccessError(self.env._("Only a full-rights administrator may correct a bonus."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the correction."))
        if amount < 0:
            raise UserError(self.env._("A bonus amount cannot be negative."))
        old = self.amount
        self._write_from_action({"amount": bonus_amount.whole_dong(amount), "is_corrected": True})
        self.sudo().message_post(
            body=Markup("%s<br/>%s") % (
                self.env._("Amount corrected from %(old)s to %(new)s by %(user)s.",
                           old=bonus_amount.format_vnd(old), new=bonus_amount.format_vnd(self.amount),
                           user=self.env.user.name),
                self.env._("Reason: %(reason)s", reason=reason)),
            author_id=self.env.user.partner_id.id, subtype_xmlid="mail.mt_note")
        self._pi_refresh_statements()

    def action_open_correct_wizard(self):
        self.ensure_one()
        if not self.env.user.has_group("pi_crm.group_pi_admin"):
            raise AccessError(self.env._("Only a full-rights administrator may correct a bonus."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Correct Bonus"),
            "res_model": "pi.bonus.line.correct",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id, "default_amount": self.amount},
        }
