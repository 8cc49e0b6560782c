from odoo import fields, models


class PiCustomerGroup(models.Model):
    _name = "pi.customer.group"
    _description = "Customer Group"
    _order = "sequence, name"

    name = fields.Char(string="Group Name", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    points = fields.Integer(help="Points added to the score of every customer and lead of this group.")
    description = fields.Text(translate=True)

    _sql_constraints = [("name_unique", "unique(name)", "A customer group with this name already exists.")]
