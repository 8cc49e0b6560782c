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
    params = env["ir.config_parameter"].sudo()
    if params.get_param("crm.iap.lead.enrich.setting"):
        return  # chosen already: keep it
    params.set_param("crm.iap.lead.enrich.setting", "manual")
    cron = env.ref("crm_iap_enrich.ir_cron_lead_enrichment", raise_if_not_found=False)
    if cron:
        cron.active = False
