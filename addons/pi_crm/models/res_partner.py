from odoo import api, fields, models

from ..tools import vn_names


class ResPartner(models.Model):
    _inherit = "res.partner"

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
