from . import models
from . import wizard


def _post_init_hook(env):
    """Contracts activated before this module was installed get their bonus lines,
    from the rules shipped with it (marked "made at installation")."""
    contracts = env["pi.investment.contract"].search([
        ("date_activated", "!=", False), ("state", "not in", ("draft", "cancelled"))])
    env["pi.bonus.line"]._pi_create_for_contracts(contracts, backfill=True)
