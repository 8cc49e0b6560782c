from odoo.tools import SQL

from . import models
from . import wizard


def _post_init_hook(env):
    """Contracts activated before this module was installed get their bonus lines,
    from the rules shipped with it (marked "made at installation")."""
    contracts = env["pi.investment.contract"].search([
        ("date_activated", "!=", False), ("state", "not in", ("draft", "cancelled"))])
    env["pi.bonus.line"]._pi_create_for_contracts(contracts, backfill=True)


def _uninstall_hook(env):
    """The stored KPI figures and the triggers that mark their changes (pi.kpi.report.init)."""
    for table in ("pi_interaction", "crm_lead", "pi_investment_contract", "pi_kpi_target", "res_partner"):
        for event in ("insert", "update", "delete"):
            env.cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(f"pi_kpi_mark_{event}"),
                               SQL.identifier(table)))
        env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(f"pi_kpi_mark_{table}")))
    env.cr.execute("DROP TABLE IF EXISTS pi_kpi_daily, pi_kpi_daily_dirty")
