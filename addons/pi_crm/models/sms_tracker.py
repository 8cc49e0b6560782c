from odoo import fields, models


class SmsTracker(models.Model):
    """Which of PI's gateways sent an SMS, and its id there: a delivery report
    (``controllers/sms_dlr.py``) may only touch what its own gateway sent."""

    _inherit = "sms.tracker"

    pi_sms_provider_id = fields.Many2one(
        "pi.sms.provider", string="SMS Gateway", index="btree_not_null", ondelete="set null", readonly=True
    )
    pi_provider_ref = fields.Char(string="Gateway Message ID", readonly=True)
