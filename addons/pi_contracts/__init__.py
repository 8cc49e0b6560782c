from . import models
from . import wizard


def _post_init_hook(env):
    """PI counts in đồng: the main company takes VND, unless its currency is
    already in use by journal items (then the company's accountant decides).

    Contracts carry their own currency (VND); the company's is the one of the
    amounts the web client totals without a currency (pivots, grouped lists).
    """
    vnd = env.ref("base.VND")
    company = env.ref("base.main_company", raise_if_not_found=False)
    if not company or company.currency_id == vnd:
        return
    if "account.move.line" in env and env["account.move.line"].search_count(
            [("company_id", "=", company.id)], limit=1):
        return
    vnd.active = True
    company.currency_id = vnd
