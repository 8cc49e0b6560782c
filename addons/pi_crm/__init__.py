from . import controllers
from . import models
from . import report
from . import wizard
from .models.iap_account import IAP_SERVICE_PARAM


def _post_init_hook(env):
    _setup_iap_services(env)
    _setup_lead_enrichment(env)


def _setup_iap_services(env):
    """Odoo IAP services start off (models/iap_account.py), except SMS.

    SMS are how PI's consultants and campaigns reach customers, and they go
    through Odoo IAP: that one is switched on here, visibly, in Settings ›
    Passion Investment, where an administrator turns it off. Company
    autocomplete, lead enrichment and mining, letters by post stay off. The
    first admin login would ask partner autocomplete to enrich the company
    (one call per company, then never again): marked done, so it never asks.
    """
    env["ir.config_parameter"].sudo().set_param(IAP_SERVICE_PARAM % "sms", "True")
    companies = env["res.company"].sudo().search([])
    if "iap_enrich_auto_done" in companies._fields:  # partner_autocomplete (auto-installed with sms)
        companies.write({"iap_enrich_auto_done": True})


def _setup_lead_enrichment(env):
    """Lead enrichment through Odoo IAP on demand only, unless already chosen.

    PI's leads are individuals with personal e-mail addresses, where company
    enrichment finds nothing; the automatic mode would send every new lead's
    e-mail domain to Odoo's IAP service and wake a job on each creation.
    Staff can turn it on again in CRM settings, which (as there) also switch
    the hourly enrichment job; nothing is sent while the IAP service itself is
    off in Settings › Passion Investment.
    """
    params = env["ir.config_parameter"].sudo()
    if params.get_param("crm.iap.lead.enrich.setting"):
        return  # chosen already: keep it
    params.set_param("crm.iap.lead.enrich.setting", "manual")
    cron = env.ref("crm_iap_enrich.ir_cron_lead_enrichment", raise_if_not_found=False)
    if cron:
        cron.active = False
