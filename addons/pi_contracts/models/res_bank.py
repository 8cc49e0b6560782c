import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResBank(models.Model):
    _inherit = "res.bank"

    pi_napas_bin = fields.Char(
        string="NAPAS BIN", size=6,
        help="The bank's 6-digit code in the NAPAS 247 network, e.g. 970436 for Vietcombank: VietQR codes need it.")

    @api.constrains("pi_napas_bin")
    def _check_pi_napas_bin(self):
        for bank in self.filtered("pi_napas_bin"):
            if not re.fullmatch(r"\d{6}", bank.pi_napas_bin):
                raise ValidationError(self.env._("%(bank)s: a NAPAS BIN has 6 digits, e.g. 970436.",
                                                 bank=bank.name))
