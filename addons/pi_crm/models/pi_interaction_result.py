from odoo import fields, models

from ..tools import consultation


class PiInteractionResult(models.Model):
    _name = "pi.interaction.result"
    _description = "Interaction Result"
    _order = "sequence, id"

    name = fields.Char(string="Result Name", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    points = fields.Integer(
        help="Result points (điểm kết quả): earned when an interaction with this result is completed."
    )
    pi_class = fields.Selection(
        consultation.PI_CLASSES,
        string="Classify the lead as",
        help="When set, logging an interaction with this result classifies its lead this way.",
    )
