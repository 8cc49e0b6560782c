from odoo import fields, models


class PiContractStage(models.Model):
    """Staff's own labels to organise contracts in kanban, independent of the contract's state."""

    _name = "pi.contract.stage"
    _description = "Contract Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    description = fields.Text(translate=True)
