from . import controllers
from . import models
from . import report
from . import wizard


def _post_init_hook(env):
    """Lead enrichment through Odoo IAP on demand only, unless already chosen.

    PI's leads are individuals with personal e-mail addresses, where company
    enrichment finds nothing; the automatic mode would send every new lead's
    e-mail domain to Odoo's IAP service and wake a job on each creation.
    Staff can turn it on again in CRM settings, which (as there) also switch
    the hourly enrichment job.
    """
    _activate_english(env)
    params = env["ir.config_parameter"].sudo()
    if params.get_param("crm.iap.lead.enrich.setting"):
        return  # chosen already: keep it
    params.set_param("crm.iap.lead.enrich.setting", "manual")
    cron = env.ref("crm_iap_enrich.ir_cron_lead_enrichment", raise_if_not_found=False)
    if cron:
        cron.active = False


def _activate_english(env):
    """English stays available beside Vietnamese, for every user who picks it.

    Odoo activates only the first language of ``--load-language`` (docker's
    first start and the README install ``vi_VN``), so such a database has
    English inactive and no user could choose it. English needs no
    translation files: its terms are the source text.
    """
    env["res.lang"]._activate_lang("en_US")
