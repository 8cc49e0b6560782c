from odoo import fields, models


class PiInvestmentContract(models.Model):
    _name = "pi.investment.contract"
    _inherit = ["pi.investment.contract", "pi.task.source.mixin"]
    _pi_task_field = "pi_contract_id"

    pi_task_ids = fields.One2many("project.task", "pi_contract_id", string="Tasks")
