import base64
import io
import logging

import qrcode
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, format_amount, format_date

from odoo.addons.pi_crm.tools import vn_amount_words, vn_text

from ..tools import contract_money, vietqr
from .pi_contract_expiry_notice import NOTICE_ATTEMPTS

_logger = logging.getLogger(__name__)

DOCUMENT_REPORT = "pi_contracts.report_pi_contract_document"
RATE_FIELDS = ("base_rate", "fee_rate", "fee_tier_id")
SETTLEMENT_FIELDS = {
    "days": "settlement_days",
    "base_profit": "settlement_base_profit",
    "gross_profit": "settlement_gross_profit",
    "excess_profit": "settlement_excess_profit",
    "fee": "settlement_fee",
    "investor_profit": "settlement_investor_profit",
    "payout": "settlement_payout",
}
# What only the actions write, in every state: they record what happened to the
# contract (activation, settlement, renewal, cancellation, the expiry cron).
ACTION_FIELDS = frozenset({"state", "date_activated", "date_settled", "renewal_id", "renewed_from_id",
                           "renewal_profit_mode", *SETTLEMENT_FIELDS.values()})
# The terms: editable in draft, frozen once the contract has been activated (and
# on a renewal the wizard prepared, which starts on its date).
TERM_FIELDS = frozenset({"partner_id", "product_id", "currency_id", "company_id", "principal", "date_start",
                         "term_months", "date_end", *RATE_FIELDS})
# The actions write ACTION_FIELDS and TERM_FIELDS through ``_write_from_action``,
# which carries this very object in the context. JSON-RPC and XML-RPC can send a
# context key of that name, but only with a JSON/XML value, never this object, and
# a method starting with "_" cannot be called over RPC: so ``write`` recognises the
# actions' own writes and nothing else. A key with a plain value (as account.move's
# ``skip_readonly_check``) could be forged by the client.
_ACTION_WRITE = object()
_ACTION_WRITE_KEY = "pi_contract_action_write"


class PiInvestmentContract(models.Model):
    _name = "pi.investment.contract"
    _description = "Investment Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.ref("base.VND"))
    partner_id = fields.Many2one("res.partner", string="Investor", required=True, index=True, tracking=True,
                                 check_company=True)
    partner_salutation = fields.Char(compute="_compute_partner_salutation", search="_search_partner_salutation",
                                     string="Salutation")
    product_id = fields.Many2one("pi.investment.product", required=True, index=True, tracking=True,
                                 check_company=True)
    product_kind = fields.Selection(related="product_id.kind", store=True)
    user_id = fields.Many2one(
        "res.users", string="Consultant", index=True, tracking=True,
        compute="_compute_user_id", store=True, readonly=False, precompute=True,
        domain="[('share', '=', False)]",
        help="Responsible consultant; by default the investor's salesperson.")
    stage_id = fields.Many2one(
        "pi.contract.stage", tracking=True, index=True, copy=False,
        group_expand="_read_group_stage_ids", default=lambda self: self._default_stage_id())
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("matured", "Matured"), ("settled", "Settled"),
         ("renewed", "Renewed"), ("cancelled", "Cancelled")],
        required=True, default="draft", tracking=True, index=True, copy=False)
    principal = fields.Monetary(currency_field="currency_id", tracking=True, required=True)
    pi_vietqr_payload = fields.Char(
        string="VietQR Payload", compute="_compute_pi_vietqr",
        help="What a banking app reads from the transfer QR code: PI's funding account, the principal, the reference.")
    pi_vietqr_image = fields.Binary(string="Transfer QR Code", compute="_compute_pi_vietqr")
    pi_funding_bank_name = fields.Char(string="Bank", compute="_compute_pi_vietqr")
    pi_funding_acc_number = fields.Char(string="Account Number", compute="_compute_pi_vietqr")
    pi_funding_holder = fields.Char(string="Account Holder", compute="_compute_pi_vietqr")
    pi_funding_note = fields.Char(string="Transfer Note", compute="_compute_pi_vietqr")
    principal_in_words = fields.Char(compute="_compute_principal_in_words", string="Principal in Words",
                                     search="_search_document_text")
    date_start = fields.Date(string="Start Date", required=True, default=fields.Date.context_today, tracking=True)
    term_months = fields.Integer(
        string="Term (months)", compute="_compute_term_months", store=True, readonly=False, precompute=True,
        tracking=True)
    date_end = fields.Date(
        string="End Date", compute="_compute_date_end", store=True, readonly=False, precompute=True,
        tracking=True, index=True)
    # Rates: in draft a preview of the policy; copied from the policy on activation.
    fee_tier_id = fields.Many2one(
        "pi.fee.tier", string="Fee Level", compute="_compute_fee_tier_id", store=True, readonly=False,
        precompute=True, tracking=True)
    base_rate = fields.Float(
        string="Base Rate (%/year)", digits=(5, 2), tracking=True, copy=False,
        default=lambda self: self.env["pi.financial.policy"]._get_policy().base_rate)
    fee_rate = fields.Float(
        string="Fee (%)", digits=(5, 2), tracking=True, copy=False,
        compute="_compute_fee_rate", store=True, readonly=False, precompute=True)
    can_edit_rates = fields.Boolean(compute="_compute_can_edit_rates")
    can_reset_draft = fields.Boolean(compute="_compute_can_reset_draft")
    date_activated = fields.Date(readonly=True, copy=False)
    # Renewal chain
    renewed_from_id = fields.Many2one("pi.investment.contract", string="Renewal Of", readonly=True, copy=False,
                                      index="btree_not_null")
    renewal_id = fields.Many2one("pi.investment.contract", string="Renewed By", readonly=True, copy=False)
    renewal_profit_mode = fields.Selection(
        [("rollover", "Roll the profit into the new principal"), ("payout", "Pay the profit out")],
        string="Profit of the Renewed Contract", readonly=True, copy=False,
        help="On a renewal that starts later: what happens to the old contract's profit on that date.")
    # Paper original
    scanned_original = fields.Boolean(string="Original Collected and Scanned", tracking=True, copy=False)
    scanned_user_id = fields.Many2one("res.users", string="Scanned By", readonly=True, copy=False)
    scanned_date = fields.Datetime(string="Scanned On", readonly=True, copy=False)
    scan_attachment_ids = fields.Many2many(
        "ir.attachment", "pi_contract_scan_attachment_rel", "contract_id", "attachment_id",
        string="Scans", copy=False)
    # Settlement (also filled for the contract a renewal closes)
    date_settled = fields.Date(string="Settlement Date", readonly=True, copy=False, tracking=True)
    settlement_days = fields.Integer(readonly=True, copy=False)
    settlement_base_profit = fields.Monetary(currency_field="currency_id", readonly=True, copy=False)
    settlement_gross_profit = fields.Monetary(currency_field="currency_id", readonly=True, copy=False)
    settlement_excess_profit = fields.Monetary(currency_field="currency_id", readonly=True, copy=False)
    settlement_fee = fields.Monetary(currency_field="currency_id", readonly=True, copy=False)
    settlement_investor_profit = fields.Monetary(currency_field="currency_id", readonly=True, copy=False)
    settlement_payout = fields.Monetary(currency_field="currency_id", readonly=True, copy=False)
    expiry_notice_ids = fields.One2many("pi.contract.expiry.notice", "contract_id", string="Expiry Notices")
    days_to_end = fields.Integer(compute="_compute_days_to_end", string="Days to End")
    note = fields.Html(string="Notes")

    _sql_constraints = [
        ("principal_positive", "CHECK(principal > 0)", "The principal must be greater than zero."),
    ]

    # ------------------------------------------------------------------ defaults & computes
    def _default_stage_id(self):
        return self.env["pi.contract.stage"].search([], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # Every stage is a kanban column, even an empty one; there are a handful.
        return stages.search([])  # pylint: disable=no-search-all

    @api.depends("partner_id")
    def _compute_user_id(self):
        for contract in self:
            if contract.partner_id.user_id and not contract.user_id:
                contract.user_id = contract.partner_id.user_id
            elif not contract.user_id:
                contract.user_id = self.env.user if not self.env.user.share else False

    @api.depends("partner_id")
    def _compute_partner_salutation(self):
        # Read as the user: a partner they may not read (another consultant's
        # customer typed into a new contract or an onchange) reveals nothing.
        readable = self.partner_id.filtered("id")._filtered_access("read")
        for contract in self:
            partner = contract.partner_id
            visible = partner and (partner in readable or not partner.id)
            contract.partner_salutation = partner.pi_salutation if visible else False

    def _search_partner_salutation(self, operator, value):
        # Through the investor: the partner's record rules apply to the subquery,
        # so a search finds no contract by a customer the user may not read.
        # (Searchable also puts it in the editor's placeholder list.)
        return [("partner_id.pi_salutation", operator, value)]

    @api.depends("principal")
    @api.depends("principal", "name", "state", "company_id.pi_funding_account_id.acc_number",
                 "company_id.pi_funding_account_id.bank_id.pi_napas_bin")
    def _compute_pi_vietqr(self):
        for contract in self:
            # PI's own receiving account is read as superuser: it is printed on every contract anyway,
            # and neither consultants nor investors may read bank accounts otherwise.
            account = contract.company_id.sudo().pi_funding_account_id
            payload = False
            if account.bank_id.pi_napas_bin and contract.principal > 0 and contract.state in ("draft", "active"):
                purpose = vietqr.clean_purpose(vn_text.strip_diacritics(contract.name or ""))
                try:
                    payload = vietqr.payload(account.bank_id.pi_napas_bin, account.acc_number,
                                             round(contract.principal), purpose or None)
                except ValueError:
                    _logger.warning("No VietQR for %s: funding account %s is not usable", contract.name,
                                    account.acc_number)
            contract.pi_vietqr_payload = payload
            contract.pi_vietqr_image = payload and base64.b64encode(self._pi_qr_png(payload))
            contract.pi_funding_bank_name = payload and account.bank_id.name
            contract.pi_funding_acc_number = payload and account.acc_number
            contract.pi_funding_holder = payload and (account.acc_holder_name or account.partner_id.name)
            contract.pi_funding_note = payload and vietqr.parse(payload).get("62", {}).get("08")

    @staticmethod
    def _pi_qr_png(text):
        image = qrcode.make(text, box_size=8, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
        stream = io.BytesIO()
        image.save(stream, format="PNG")
        return stream.getvalue()

    def _compute_principal_in_words(self):
        for contract in self:
            contract.principal_in_words = vn_amount_words.amount_to_words(contract.principal or 0)

    @api.depends("product_id")
    def _compute_term_months(self):
        for contract in self:
            if contract.product_id and (not contract.term_months or contract.state == "draft"):
                contract.term_months = contract.product_id.term_months
            elif not contract.term_months:
                contract.term_months = 12

    @api.depends("date_start", "term_months")
    def _compute_date_end(self):
        # 31/01/2026 + 1 month → 28/02/2026: relativedelta keeps within the month.
        for contract in self:
            contract.date_end = contract.date_start and contract.date_start + relativedelta(
                months=contract.term_months or 0)

    @api.depends("principal")
    def _compute_fee_tier_id(self):
        Tier = self.env["pi.fee.tier"]
        for contract in self:
            if contract.state in (False, "draft"):
                contract.fee_tier_id = Tier._get_default_tier(contract.principal)
            else:
                contract.fee_tier_id = contract.fee_tier_id

    @api.depends("fee_tier_id")
    def _compute_fee_rate(self):
        # Depends on the level, not on its rate: changing a level's rate must
        # not rewrite the contracts that carry it.
        for contract in self:
            if contract.state in (False, "draft") and contract.fee_tier_id:
                contract.fee_rate = contract.fee_tier_id.rate
            else:
                contract.fee_rate = contract.fee_rate

    @api.depends_context("uid")
    def _compute_can_edit_rates(self):
        self.can_edit_rates = self._user_can_edit_rates()

    @api.depends("state", "date_activated")
    @api.depends_context("uid")
    def _compute_can_reset_draft(self):
        for contract in self:
            contract.can_reset_draft = contract.state == "cancelled" and contract._user_can_reset_draft()

    @api.depends("date_end")
    @api.depends_context("tz")
    def _compute_days_to_end(self):
        today = fields.Date.context_today(self)
        for contract in self:
            contract.days_to_end = (contract.date_end - today).days if contract.date_end else 0

    # ------------------------------------------------------------------ constraints
    @api.constrains("principal")
    def _check_principal_whole(self):
        # Greater than zero: the database constraint principal_positive.
        for contract in self:
            if float_compare(contract.principal, round(contract.principal), precision_digits=2):
                raise ValidationError(self.env._("The principal is a whole amount of dong, without decimals."))

    @api.constrains("date_start", "date_end", "term_months")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end <= contract.date_start:
                raise ValidationError(self.env._(
                    "Contract %(ref)s: the end date must be after the start date.", ref=contract.name))
            if contract.term_months <= 0:
                raise ValidationError(self.env._("The term must be at least one month."))

    @api.constrains("base_rate", "fee_rate")
    def _check_rates(self):
        for contract in self:
            if contract.base_rate < 0 or not 0 <= contract.fee_rate <= 100:
                raise ValidationError(self.env._(
                    "The base rate must be positive and the fee between 0 and 100 %."))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_action_write():
            self._check_create_protected(vals_list)
        if not self._user_can_edit_rates():
            self._check_rate_vals_are_policy(vals_list)
        for vals in vals_list:
            self._check_vals(vals)
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("pi.investment.contract") or "/"
        contracts = super().create(vals_list)
        contracts.filtered("scanned_original")._stamp_scan()
        return contracts

    def write(self, vals):
        if not self._is_action_write():
            self._check_write_protected(vals)
            if any(field in vals for field in RATE_FIELDS) and not self._user_can_edit_rates():
                self._check_rate_vals_unchanged(vals)
        for contract in self:
            self._check_vals(vals, contract)
        res = super().write(vals)
        if "scanned_original" in vals:
            self._stamp_scan()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft_or_cancelled(self):
        if any(contract.state not in ("draft", "cancelled") for contract in self):
            raise UserError(self.env._("Only a draft or cancelled contract can be deleted."))

    @api.model
    def _check_vals(self, vals, contract=None):
        """Refuse bad dates before anything is written (the constraints above
        check the stored result again)."""
        date_start = vals.get("date_start", contract.date_start if contract else None)
        date_end = vals.get("date_end", contract.date_end if contract and "date_start" not in vals else None)
        if date_start and date_end and fields.Date.to_date(date_end) <= fields.Date.to_date(date_start):
            raise ValidationError(self.env._("The end date must be after the start date."))

    # ------------------------------------------------------------------ protected fields
    def _write_from_action(self, vals):
        """Write fields that only the actions may change. Called by an action (or
        the wizard behind it) after its own checks: state, dates, settlement,
        renewal links; the ORM still checks the user's write access."""
        return self._with_action_marker().write(vals)

    def _with_action_marker(self):
        return self.with_context(**{_ACTION_WRITE_KEY: _ACTION_WRITE})

    def _is_action_write(self):
        return self.env.context.get(_ACTION_WRITE_KEY) is _ACTION_WRITE

    def _fields_label(self, names):
        return ", ".join(sorted(self._fields[name]._description_string(self.env) for name in names))

    @api.model
    def _check_create_protected(self, vals_list):
        """A new contract is a draft without history, for an investor the user may read."""
        self.browse().check_access("create")  # who may not create at all is told so first
        for vals in vals_list:
            given = {name for name in ACTION_FIELDS & vals.keys() if vals[name] and vals[name] != "draft"}
            if given:
                raise UserError(self.env._(
                    "A new contract starts as a draft: %(fields)s are set by its actions only.",
                    fields=self._fields_label(given)))
        self._check_partner_readable({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})

    @api.model
    def _check_partner_readable(self, partner_ids):
        """Refuse an investor the user may not read (another consultant's customer):
        the contract would show their data through its related fields."""
        self.env["res.partner"]._pi_check_link_access(partner_ids)

    def _check_write_protected(self, vals):
        """The guard of the contract's history and terms (see ACTION_FIELDS,
        TERM_FIELDS). Writing the value a field already has is let through: a
        form may send readonly values back."""
        action_fields = ACTION_FIELDS & vals.keys()
        term_fields = TERM_FIELDS & vals.keys()
        if not (action_fields or term_fields):
            return
        self.check_access("write")  # who may not write at all is told so first
        for contract in self:
            changed = contract._get_changed_fields(vals, action_fields)
            if changed:
                raise UserError(self.env._(
                    "Contract %(ref)s: %(fields)s change only through its actions (activate, settle, renew, "
                    "cancel).", ref=contract.name, fields=self._fields_label(changed)))
            changed = contract._get_changed_fields(vals, term_fields) if contract.state != "draft" or \
                contract.renewed_from_id else set()
            if changed and contract.state != "draft":
                raise UserError(self.env._(
                    "Contract %(ref)s is no longer a draft: %(fields)s can no longer be changed. A "
                    "full-rights administrator can cancel it and set it back to draft to correct it.",
                    ref=contract.name, fields=self._fields_label(changed)))
            if changed:
                raise UserError(self.env._(
                    "Contract %(ref)s is the renewal of %(old)s: %(fields)s were set by the renewal. Cancel "
                    "this renewal and renew again to change them.",
                    ref=contract.name, old=contract.renewed_from_id.name, fields=self._fields_label(changed)))
        if vals.get("partner_id") and any(contract.partner_id.id != vals["partner_id"] for contract in self):
            self._check_partner_readable({vals["partner_id"]})

    def _get_changed_fields(self, vals, names):
        """The fields of ``names`` whose value in ``vals`` differs from this contract's."""
        self.ensure_one()
        changed = set()
        for name in names:
            field = self._fields[name]
            value = field.convert_to_record(field.convert_to_cache(vals[name], self), self)
            if value != self[name]:
                changed.add(name)
        return changed

    def _user_can_edit_rates(self):
        return self.env.su or self.env.user.has_group("pi_crm.group_pi_admin")

    def _rate_error(self):
        return AccessError(self.env._(
            "Only a full-rights administrator may change a contract's base rate or fee level."))

    @api.model
    def _check_rate_vals_are_policy(self, vals_list):
        """A consultant or manager creates contracts at the policy's rates only."""
        policy_rate = self.env["pi.financial.policy"]._get_policy().base_rate
        Tier = self.env["pi.fee.tier"]
        for vals in vals_list:
            if "base_rate" in vals and float_compare(vals["base_rate"], policy_rate, precision_digits=2):
                raise self._rate_error()
            default_tier = Tier._get_default_tier(vals.get("principal", 0))
            tier = Tier.browse(vals["fee_tier_id"]) if vals.get("fee_tier_id") else default_tier
            if tier != default_tier:
                raise self._rate_error()
            if "fee_rate" in vals and float_compare(vals["fee_rate"], tier.sudo().rate, precision_digits=2):
                raise self._rate_error()

    def _check_rate_vals_unchanged(self, vals):
        """Writing the values a contract already has (the form sends them back) is fine."""
        for contract in self:
            for field in ("base_rate", "fee_rate"):
                if field in vals and float_compare(vals[field], contract[field], precision_digits=2):
                    raise self._rate_error()
            if "fee_tier_id" in vals and (vals["fee_tier_id"] or False) != contract.fee_tier_id.id:
                raise self._rate_error()

    def _stamp_scan(self):
        for contract in self:
            if contract.scanned_original:
                contract.sudo().write({"scanned_user_id": self.env.user.id, "scanned_date": fields.Datetime.now()})
            else:
                contract.sudo().write({"scanned_user_id": False, "scanned_date": False})

    # ------------------------------------------------------------------ money
    def compute_payout(self, on_date=None):
        """The payout of this contract valued on ``on_date`` (a date or 'YYYY-MM-DD';
        today by default), capped at the end date.

        Public, so callable over JSON-RPC. Returns a dict with exactly the keys
        principal, days, base_profit, gross_profit, excess_profit, fee,
        investor_profit, payout (whole đồng, ints).
        """
        self.ensure_one()
        return self._compute_payouts(on_date)[self.id]

    def _compute_payouts(self, on_date=None):
        """``{contract id: payout dict}`` for many contracts at once.

        One query reads the contracts, one query per product reads its NAV
        series; the arithmetic is ``tools.contract_money``. No query per contract.
        """
        self.check_access("read")
        on_date = self._to_date(on_date) if on_date else fields.Date.context_today(self)
        self.flush_model(["principal", "base_rate", "fee_rate", "date_start", "date_end", "product_id"])
        rows = []
        for chunk in self._chunk_ids(self.ids):
            self.env.cr.execute(
                """SELECT id, principal, base_rate, fee_rate, date_start, date_end, product_id
                     FROM pi_investment_contract WHERE id = ANY(%s)""", [chunk])
            rows += self.env.cr.fetchall()
        series = self.env["pi.product.performance"]._get_nav_series({row[6] for row in rows})
        result = {}
        try:
            for cid, principal, base_rate, fee_rate, date_start, date_end, product_id in rows:
                result[cid] = contract_money.payout_with_series(
                    round(principal or 0), base_rate or 0, fee_rate or 0, date_start, date_end, on_date,
                    series.get(product_id))
        except contract_money.MoneyRuleError as error:
            raise self._money_rule_user_error(error) from error
        return result

    @api.model
    def _to_date(self, value):
        """A date from a date or 'YYYY-MM-DD' (what RPC callers send)."""
        try:
            return contract_money.to_date(value)
        except contract_money.MoneyRuleError as error:
            raise self._money_rule_user_error(error) from error

    @api.model
    def _money_rule_user_error(self, error):
        """The ``MoneyRuleError`` of ``tools.contract_money``, worded for the user."""
        messages = {
            "date": self.env._("Write the date as YYYY-MM-DD."),
            "principal": self.env._("The principal must be a whole amount of dong, greater than zero."),
            "base_rate": self.env._("The base rate must be positive and the fee between 0 and 100 %."),
            "fee_rate": self.env._("The base rate must be positive and the fee between 0 and 100 %."),
            "nav": self.env._("The NAV index must be greater than zero."),
        }
        return UserError(messages.get(error.code, str(error)))

    @staticmethod
    def _chunk_ids(ids, size=50000):
        for start in range(0, len(ids), size):
            yield ids[start:start + size]

    # ------------------------------------------------------------------ actions
    def action_activate(self):
        """Draft → active: checks the contract, copies the policy's rates, launches the care plan."""
        self.check_access("write")
        for contract in self:
            contract._check_can_activate()
        policy = self.env["pi.financial.policy"]._get_policy()
        for contract in self:
            tier = contract.fee_tier_id or self.env["pi.fee.tier"]._get_default_tier(contract.principal)
            # The fee level is read as superuser: a level archived since the draft was made still applies.
            contract._write_from_action({
                "state": "active",
                "date_activated": fields.Date.context_today(self),
                "base_rate": policy.base_rate,
                "fee_tier_id": tier.id,
                "fee_rate": tier.sudo().rate,
            })
            contract._launch_care_plan()
        return True

    def _check_can_activate(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("Contract %(ref)s is not a draft: only a draft contract can be activated.",
                              ref=self.name))
        if self.renewed_from_id.state in ("active", "matured"):
            raise UserError(self.env._(
                "Contract %(ref)s renews %(old)s and starts on %(date)s: it is activated on that date, when "
                "%(old)s is closed.", ref=self.name, old=self.renewed_from_id.name,
                date=format_date(self.env, min(self.date_start, self.renewed_from_id.date_end))))
        if not self.date_start or not self.date_end or self.date_end <= self.date_start:
            raise UserError(self.env._("Contract %(ref)s: the end date must be after the start date.", ref=self.name))
        partner = self.partner_id
        if not (partner.phone or partner.mobile or partner.email):
            raise UserError(self.env._("Add a phone number or an email to %(name)s before activating the contract.",
                              name=partner.display_name))
        if not self.env["pi.fee.tier"].search_count([]) and not self.fee_tier_id:
            raise UserError(self.env._("Define at least one fee level before activating contracts."))
        requires_id = self.env["ir.config_parameter"].sudo().get_param("pi_contracts.activation_requires_id")
        if requires_id and not partner.commercial_partner_id.pi_id_number and not partner.pi_id_number:
            raise UserError(self.env._(
                "Add the citizen ID (CCCD) or passport number of %(name)s before activating the contract.",
                name=partner.display_name))

    def _in_consultant_lang(self):
        """This contract in its consultant's language: for the chatter notes and
        To-Dos written for them, also when OdooBot (the cron) writes them."""
        self.ensure_one()
        return self.with_context(lang=self.user_id.lang or self.env.lang)

    def _launch_care_plan(self):
        """Launch the product's care plan through the stock plan wizard, dated from
        the start date, the on-demand calls for the consultant; the chatter note
        is written in the consultant's language. Calls already past are left out
        (``mail.activity.schedule._pi_get_past_templates``)."""
        self.ensure_one()
        plan = self.product_id.activity_plan_id
        if not plan:
            return
        contract = self._in_consultant_lang()
        # Opened on the contract as the web client opens it; the plan is chosen
        # after creation, as in the form (the wizard computes no plan and no
        # date for its records when it is created).
        wizard = contract.env["mail.activity.schedule"].with_context(
            active_model=self._name, active_ids=self.ids).create({})
        wizard.write({
            "plan_id": plan.id,
            "plan_date": self.date_start,
            "plan_on_demand_user_id": (self.user_id or self.env.user).id,
        })
        wizard.action_schedule_plan()

    def _close_activities(self):
        """A closed contract leaves nothing to do: its open activities (the care
        plan's calls, the expiry To-Dos) are cancelled, and the chatter keeps
        their list. Activities scheduled after closing stay, of course."""
        for contract in self:
            activities = contract.activity_ids
            if not activities:
                continue
            names = [activity.summary or activity.activity_type_id.name for activity in activities]
            activities.unlink()
            contract = contract._in_consultant_lang()
            state = dict(contract._fields["state"]._description_selection(contract.env))[contract.state]
            contract.message_post(body=Markup("%s<ul>%s</ul>") % (
                contract.env._("Contract %(state)s: its open activities are cancelled.", state=state.lower()),
                Markup().join(Markup("<li>%s</li>") % name for name in names)))

    def action_cancel(self):
        self.check_access("write")
        for contract in self:
            if contract.state in ("settled", "renewed", "cancelled"):
                raise UserError(self.env._("Contract %(ref)s is closed and cannot be cancelled.", ref=contract.name))
            if contract.state != "draft" and not self.env.user.has_group("pi_crm.group_pi_admin"):
                raise UserError(self.env._(
                    "Contract %(ref)s is already active: only a full-rights administrator can cancel it.",
                    ref=contract.name))
        # A contract cancelled while its renewal waits for its date takes that renewal along.
        contracts = self | self.renewal_id.filtered(lambda renewal: renewal.state == "draft")
        contracts._write_from_action({"state": "cancelled"})
        contracts._unlink_pending_renewals()
        contracts._close_activities()
        return True

    def _unlink_pending_renewals(self):
        """A renewal cancelled before its date: both contracts forget the link, so
        the old one can be settled or renewed again."""
        pending = self.filtered(lambda c: c.renewed_from_id.renewal_id == c
                                and c.renewed_from_id.state in ("active", "matured"))
        for contract in pending:
            old = contract.renewed_from_id
            old._write_from_action({"renewal_id": False})
            contract._write_from_action({"renewed_from_id": False, "renewal_profit_mode": False})
            old._in_consultant_lang().message_post(body=Markup(old._in_consultant_lang().env._(
                "The renewal %(new)s was cancelled before its start date.")) % {"new": contract._get_html_link()})

    def action_reset_draft(self):
        """Cancelled → draft. Only a full-rights administrator cancels an active
        contract, and only they set it back to draft: otherwise its consultant
        could reopen it, change its terms and activate it again."""
        self.check_access("write")
        for contract in self:
            if contract.state != "cancelled":
                raise UserError(self.env._("Only a cancelled contract can be set back to draft."))
            if not contract._user_can_reset_draft():
                raise UserError(self.env._(
                    "Contract %(ref)s was active before it was cancelled: only a full-rights administrator "
                    "can set it back to draft.", ref=contract.name))
        self._write_from_action({"state": "draft"})
        return True

    def _user_can_reset_draft(self):
        self.ensure_one()
        return not self.date_activated or self._user_can_edit_rates()

    def action_open_settle_wizard(self):
        self.ensure_one()
        self.check_access("write")
        self._check_can_close()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Settle Contract"),
            "res_model": "pi.contract.settle",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def action_open_renew_wizard(self):
        self.ensure_one()
        self.check_access("write")
        self._check_can_close()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Renew Contract"),
            "res_model": "pi.contract.renew",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def _check_can_close(self, renewal=None):
        """Settling or renewing needs an active or matured contract, not yet renewed
        (``renewal``: the scheduled renewal now being completed)."""
        for contract in self:
            if contract.renewal_id.state == "draft" and contract.renewal_id != renewal:
                raise UserError(self.env._(
                    "Contract %(ref)s is to be renewed by %(new)s on %(date)s: cancel that renewal first.",
                    ref=contract.name, new=contract.renewal_id.name,
                    date=format_date(self.env, contract.renewal_id.date_start)))
            if (contract.renewal_id and contract.renewal_id != renewal) or contract.state == "renewed":
                raise UserError(self.env._("Contract %(ref)s has already been renewed by %(new)s.",
                                           ref=contract.name, new=contract.renewal_id.name or "?"))
            if contract.state not in ("active", "matured"):
                state = dict(self._fields["state"]._description_selection(self.env))[contract.state]
                raise UserError(self.env._(
                    "Contract %(ref)s is %(state)s: only an active or matured contract can be settled or renewed.",
                    ref=contract.name, state=state))

    def _settle(self, settle_date, new_state="settled", renewal=None, today=None):
        """Close the contract on ``settle_date`` (never later than ``today``):
        store the payout, change the state, cancel the open activities."""
        self.ensure_one()
        self.check_access("write")
        self._check_can_close(renewal)
        settle_date = self._to_date(settle_date)
        if settle_date < self.date_start:
            raise UserError(self.env._("The settlement date cannot be before the start date %(date)s.",
                                       date=format_date(self.env, self.date_start)))
        if settle_date > (today or fields.Date.context_today(self)):
            raise UserError(self.env._(
                "Contract %(ref)s cannot be settled on %(date)s, a date still to come: settle it on that day.",
                ref=self.name, date=format_date(self.env, settle_date)))
        payout = self.compute_payout(settle_date)
        vals = {"state": new_state, "date_settled": settle_date}
        vals.update({field: payout[key] for key, field in SETTLEMENT_FIELDS.items()})
        self._write_from_action(vals)
        self._close_activities()
        return payout

    # ------------------------------------------------------------------ renewal
    def _create_renewal(self, values, profit_mode):
        """The new contract of a renewal, linked both ways, still a draft.

        :param values: the new contract's terms (``_prepare_new_contract_values``
            of the renew wizard): product, start date, term, end date
        :param profit_mode: 'rollover' or 'payout'
        :return: the new contract; ``_complete_renewal`` closes this one and
            activates it, now or (from the cron) on its start date
        """
        self.ensure_one()
        self.check_access("write")
        self._check_can_close()
        on_date = min(self._to_date(values["date_start"]), self.date_end)
        estimate = self.compute_payout(on_date)
        values = dict(values, renewed_from_id=self.id, renewal_profit_mode=profit_mode, state="draft",
                      user_id=self.user_id.id,
                      principal=estimate["payout"] if profit_mode == "rollover" else estimate["principal"])
        # The marker lets the copy carry its link; the new contract comes back without it.
        new = self._with_action_marker().copy(values).with_env(self.env)
        self._write_from_action({"renewal_id": new.id})
        return new

    def _complete_renewal(self, today=None):
        """Close this contract as renewed on the renewal's start date (at most its
        end date) and activate the renewal with the profit rolled in or paid out.

        :return: the payout dict of this contract
        """
        self.ensure_one()
        new = self.renewal_id
        payout = self._settle(min(new.date_start, self.date_end), "renewed", renewal=new, today=today)
        rollover = new.renewal_profit_mode != "payout"
        new._write_from_action({"principal": payout["payout"] if rollover else payout["principal"]})
        new.action_activate()
        old, new_lang = self._in_consultant_lang(), new._in_consultant_lang()
        how = old.env._("rolled into the new principal") if rollover else old.env._("paid out")
        old.message_post(body=Markup(old.env._("Renewed by %(new)s; profit %(profit)s %(how)s.")) % {
            "new": new._get_html_link(), "profit": old._format_vnd(payout["investor_profit"]), "how": how})
        new.message_post(body=Markup(new_lang.env._("Renewal of %(old)s.")) % {"old": self._get_html_link()})
        template = self.env["pi.contract.document.template"]._get_default("renewal", new.product_id)
        if template:
            new._attach_document(template)
        return payout

    @api.model
    def _get_renewal_due_domain(self, today):
        """Contracts whose scheduled renewal starts today or earlier (or that reach
        their end date first)."""
        return [("state", "in", ("active", "matured")), ("renewal_id.state", "=", "draft"),
                "|", ("renewal_id.date_start", "<=", today), ("date_end", "<=", today)]

    def action_print_document(self):
        """Print the contract document chosen for the product (button of the form)."""
        self.ensure_one()
        kind = self.env.context.get("pi_document_kind") or "contract"
        source = self.renewed_from_id.product_id if kind == "renewal" and not self.product_id else self.product_id
        template = self.env["pi.contract.document.template"]._get_default(kind, source)
        if not template:
            raise UserError(self.env._("No document template of this kind: create one under Configuration."))
        report = self.env.ref("pi_contracts.action_report_pi_contract_document")
        return report.with_context(pi_document_template_id=template.id).report_action(self)

    def _get_document_template(self):
        """The template the report prints: the one in context, else the contract document."""
        template_id = self.env.context.get("pi_document_template_id")
        Template = self.env["pi.contract.document.template"]
        if template_id:
            return Template.browse(template_id).exists()
        # Which template a product prints is configuration, looked up as superuser
        # (an investor reads neither products nor templates); the template comes
        # back in the caller's environment, so it renders with the caller's rights.
        return Template.sudo()._get_default("contract", self.sudo().product_id).with_env(self.env)

    def _get_document_html(self):
        """The HTML body the PDF report prints for this contract, rendered with the printer's rights."""
        self.ensure_one()
        template = self._get_document_template()
        return template._render_body(self) if template else ""

    def _get_document_filename(self):
        self.ensure_one()
        # Its name only, in the document's language (the investor's, as its body).
        template = self._get_document_template().sudo().with_context(lang=self.partner_id.lang or self.env.lang)
        return f"{template.report_name or template.name or 'contract'} - {self.name}".replace("/", "-")

    def _attach_document(self, template):
        """Render ``template`` as PDF, attach it to the contract and post it in the chatter."""
        self.ensure_one()
        # Rendered as the current user (who settles or renews), never as superuser.
        pdf, _report_type = self.env["ir.actions.report"].with_context(
            pi_document_template_id=template.id)._render_qweb_pdf(DOCUMENT_REPORT, self.ids)
        name = f"{self.with_context(pi_document_template_id=template.id)._get_document_filename()}.pdf"
        attachment = self.env["ir.attachment"].create({
            "name": name, "raw": pdf, "res_model": self._name, "res_id": self.id, "mimetype": "application/pdf",
        })
        self.message_post(body=self.env._("%(document)s generated.", document=template.name),
                          attachment_ids=attachment.ids)
        return attachment

    # ------------------------------------------------------------------ expiry cron
    @api.model
    def _cron_process_expiry(self, batch_size=200, date_ref=None):
        """Daily: scheduled renewals whose start date has come are completed; active
        contracts past their end date → matured; expiry notices N days before.

        Works in batches: each processed contract leaves the domains (state
        change or notice stamp), and ``_notify_progress`` makes the cron worker
        commit and call again while work remains.
        """
        today = self._to_date(date_ref) if date_ref else fields.Date.context_today(self)
        renewal_domain = self._get_renewal_due_domain(today)
        to_renew = self.search(renewal_domain, limit=batch_size)
        failed = to_renew._complete_scheduled_renewals(today)
        done = len(to_renew - failed)
        mature_domain = self._get_matured_domain(today)
        to_mature = self.search(mature_domain, limit=max(batch_size - done, 0))
        to_mature._mature()
        done += len(to_mature)
        left = batch_size - done
        thresholds = self.env["pi.financial.policy"]._get_notice_days()
        for days in thresholds:
            if left <= 0:
                break
            contracts = self.search(self._get_expiry_notice_domain(today, days, thresholds), limit=left)
            contracts._send_expiry_notice(days, today)
            done += len(contracts)
            left -= len(contracts)
        remaining = self.search_count(mature_domain) + sum(
            self.search_count(self._get_expiry_notice_domain(today, days, thresholds)) for days in thresholds)
        remaining += self.search_count(renewal_domain + [("id", "not in", failed.ids)])
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining

    def _complete_scheduled_renewals(self, today):
        """Complete each renewal on its own: one that fails (a product without NAV,
        say) is logged in its contract's chatter, stays scheduled, and is tried
        again the next day; it does not stop the others.

        :return: the contracts whose renewal failed
        """
        failed = self.browse()
        for contract in self:
            try:
                with self.env.cr.savepoint():
                    contract._complete_renewal(today)
            except Exception as error:  # pylint: disable=broad-exception-caught  # one bad renewal must not stop the batch
                _logger.exception("Scheduled renewal of contract %s failed", contract.name)
                failed |= contract
                contract._in_consultant_lang().message_post(body=contract._in_consultant_lang().env._(
                    "The scheduled renewal could not be completed today: %(reason)s", reason=str(error)))
        return failed

    @api.model
    def _get_matured_domain(self, today):
        # A contract whose renewal is scheduled is closed by that renewal instead.
        return [("state", "=", "active"), ("date_end", "<=", today), ("renewal_id", "=", False)]

    @api.model
    def _get_expiry_notice_domain(self, today, days, thresholds):
        """Active contracts ending within ``days`` days but not within the next
        smaller threshold, without a notice for ``days`` yet. A contract first seen
        inside the 7-day band gets the 7-day notice only, not a late 30-day one.
        """
        smaller = [day for day in thresholds if day < days]
        lower = max(smaller) if smaller else 0
        return [
            ("state", "=", "active"),
            ("renewal_id", "=", False),
            ("date_end", "<=", fields.Date.add(today, days=days)),
            ("date_end", ">", fields.Date.add(today, days=lower)),
            # no stamp for this threshold, or a failed one of an earlier day with tries left
            ("expiry_notice_ids", "not any", [
                ("days_before", "=", days),
                "|", "|", ("state", "=", "sent"), ("date_sent", ">=", today), ("attempts", ">=", NOTICE_ATTEMPTS)]),
        ]

    def _mature(self):
        for contract in self:
            contract._write_from_action({"state": "matured"})
            contract.message_post(body=contract._in_consultant_lang().env._(
                "The contract reached its end date and is now matured."))

    def _send_expiry_notice(self, days, today):
        """One notice per contract: a To-Do for the consultant, an email to the
        consultant and the managers, and the stamp that makes it once-only."""
        Notice = self.env["pi.contract.expiry.notice"].sudo()
        template = self.env.ref("pi_contracts.mail_template_contract_expiry", raise_if_not_found=False)
        managers = self.env.ref("pi_crm.group_pi_manager").users.filtered(
            lambda user: user.active and not user.share and user.email)
        # the failed stamps of earlier days that these contracts are tried again for
        earlier = {notice.contract_id.id: notice for notice in Notice.search(
            [("contract_id", "in", self.ids), ("days_before", "=", days), ("state", "=", "failed")])}
        for contract in self:
            stamp = earlier.get(contract.id)
            values = {"contract_id": contract.id, "days_before": days, "date_sent": today}
            try:
                with self.env.cr.savepoint():
                    contract._send_one_expiry_notice(days, today, template, managers)
                    if stamp:
                        stamp.write(dict(values, state="sent", note=False, attempts=stamp.attempts + 1))
                    else:
                        Notice.create(values)
            except Exception as error:  # pylint: disable=broad-exception-caught  # one bad contract must not stop the batch
                _logger.exception("Expiry notice of contract %s failed", contract.name)
                values.update(state="failed", note=str(error)[:200])
                if stamp:
                    stamp.write(dict(values, attempts=stamp.attempts + 1))
                else:
                    Notice.create(values)

    def _send_one_expiry_notice(self, days, today, template, managers):
        """The To-Do in the consultant's language, the email in each recipient's
        (one email per language): the cron runs as OdooBot, in English."""
        self.ensure_one()
        consultant = self.user_id or managers[:1]
        days_left = (self.date_end - today).days
        if consultant:
            contract = self.with_context(lang=consultant.lang or self.env.lang)
            contract.activity_schedule(
                "mail.mail_activity_data_todo", date_deadline=self.date_end,
                summary=contract.env._("Contract %(ref)s ends in %(days)s days", ref=self.name, days=days_left),
                note=contract.env._("Call %(salutation)s about settling or renewing the contract.",
                                    salutation=self.partner_id.pi_salutation or self.partner_id.name),
                user_id=consultant.id)
        if template:
            recipients = (consultant | managers).partner_id.filtered("email")
            # The template counts the days from the cron's day (doc_days_to_end); its sender is the company.
            email_values = {"email_from": self.company_id.email_formatted} if self.company_id.email else {}
            for lang in dict.fromkeys(recipients.mapped("lang")):
                partners = recipients.filtered(lambda partner, lang=lang: partner.lang == lang)
                # Someone without a language reads Vietnamese, PI's own.
                mail_template = template.with_context(pi_date_ref=today, template_preview_lang=lang or "vi_VN")
                mail_template.send_mail(self.id, email_values=dict(email_values, recipient_ids=[(6, 0, partners.ids)]))

    # ------------------------------------------------------------------ helpers for documents & mails
    def _format_vnd(self, amount):
        """'1.500.000.000 ₫' in the user's language, for templates."""
        return format_amount(self.env, amount or 0, self.currency_id)

    def _payout_lines(self, payout):
        """Labels and amounts of a payout dict, in display order."""
        labels = [("principal", self.env._("Principal")), ("base_profit", self.env._("Base profit")),
                  ("gross_profit", self.env._("Gross profit (performance)")),
                  ("excess_profit", self.env._("Profit above base")),
                  ("fee", self.env._("PI fee")), ("investor_profit", self.env._("Investor profit")),
                  ("payout", self.env._("Payout"))]
        return [(label, payout[key]) for key, label in labels]
