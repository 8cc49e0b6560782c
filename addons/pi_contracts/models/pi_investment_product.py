from odoo import api, fields, models


class PiInvestmentProduct(models.Model):
    """An investment product PI sells: a BCC or any other kind, without code changes."""

    _name = "pi.investment.product"
    _description = "Investment Product"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"
    # Imports of NAV values and contracts may name the product by its code.
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    kind = fields.Selection([("bcc", "BCC (business cooperation contract)"), ("other", "Other")],
                            required=True, default="bcc", tracking=True)
    sequence = fields.Integer(default=10)
    term_months = fields.Integer(string="Default Term (months)", default=12, required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", index=True, tracking=True,
        help="Leave empty to sell the product in every company; a product of one company is seen and "
             "contracted there only.")
    description = fields.Html(translate=True)
    activity_plan_id = fields.Many2one(
        "mail.activity.plan", string="Care Plan",
        domain="[('res_model', '=', 'pi.investment.contract')]",
        help="Activities scheduled for the consultant when one of this product's contracts is activated.")
    contract_template_id = fields.Many2one(
        "pi.contract.document.template", string="Contract Document", domain="[('kind', '=', 'contract')]")
    renewal_template_id = fields.Many2one(
        "pi.contract.document.template", string="Renewal Document", domain="[('kind', '=', 'renewal')]")
    settlement_template_id = fields.Many2one(
        "pi.contract.document.template", string="Settlement Document", domain="[('kind', '=', 'settlement')]")
    performance_ids = fields.One2many("pi.product.performance", "product_id", string="NAV History")
    nav_latest = fields.Float(string="Latest NAV", digits=(16, 6), compute="_compute_nav_latest")
    nav_latest_date = fields.Date(string="Latest NAV Date", compute="_compute_nav_latest")
    contract_ids = fields.One2many("pi.investment.contract", "product_id", string="Contracts")
    contract_count = fields.Integer(compute="_compute_contract_count")

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another product already uses this code."),
        ("term_positive", "CHECK(term_months > 0)", "The default term must be at least one month."),
    ]

    @api.depends("performance_ids.date", "performance_ids.nav_index")
    def _compute_nav_latest(self):
        for product in self:
            latest = product.performance_ids.sorted("date")[-1:]
            product.nav_latest = latest.nav_index
            product.nav_latest_date = latest.date

    def _compute_contract_count(self):
        groups = self.env["pi.investment.contract"]._read_group(
            [("product_id", "in", self.ids)], ["product_id"], ["__count"])
        counts = {product.id: count for product, count in groups}
        for product in self:
            product.contract_count = counts.get(product.id, 0)

    @api.depends("code")
    def _compute_display_name(self):
        for product in self:
            product.display_name = f"[{product.code}] {product.name}" if product.code else product.name

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_contracts.pi_investment_contract_action")
        action["domain"] = [("product_id", "=", self.id)]
        action["context"] = {"default_product_id": self.id}
        return action

    def action_view_performance(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_contracts.pi_product_performance_action")
        action["domain"] = [("product_id", "=", self.id)]
        action["context"] = {"default_product_id": self.id}
        return action
