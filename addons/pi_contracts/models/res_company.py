from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    pi_funding_account_id = fields.Many2one(
        "res.partner.bank", string="Funding Account", domain="[('partner_id', '=', partner_id)]",
        help="PI's account that receives the investors' transfers: each contract's VietQR code points to it.")

    @api.constrains("pi_funding_account_id")
    def _check_pi_funding_account(self):
        for company in self.filtered("pi_funding_account_id"):
            account = company.pi_funding_account_id
            if account.partner_id != company.partner_id:
                raise ValidationError(self.env._("The funding account must be one of %(company)s's own accounts.",
                                                 company=company.name))
            if not account.bank_id.pi_napas_bin:
                raise ValidationError(self.env._(
                    "Set the NAPAS BIN of %(bank)s first: the VietQR codes need it.",
                    bank=account.bank_id.name or account.acc_number))
