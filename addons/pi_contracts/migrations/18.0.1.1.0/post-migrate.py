"""Expiry notice days: from the system parameter "30,7" to the policy's list of days."""

from odoo import SUPERUSER_ID, Command, api

OLD_PARAM = "pi_contracts.expiry_notice_days"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    policy = env.ref("pi_contracts.financial_policy_main", raise_if_not_found=False)
    if not policy or policy.expiry_threshold_ids:
        return
    text = env["ir.config_parameter"].get_param(OLD_PARAM) or "30,7"
    days = {int(chunk) for chunk in text.replace(";", ",").split(",") if chunk.strip().isdigit()} - {0}
    Threshold = env["pi.contract.expiry.threshold"]
    thresholds = [Threshold.search([("days", "=", day)], limit=1) or Threshold.create({"days": day})
                  for day in sorted(days or {30, 7}, reverse=True)]
    policy.expiry_threshold_ids = [Command.set([threshold.id for threshold in thresholds])]
    env["ir.config_parameter"].search([("key", "=", OLD_PARAM)]).unlink()
