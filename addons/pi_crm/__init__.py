from odoo.tools import convert_file

from . import controllers
from . import models
from . import report
from . import wizard

# Record rules ship in noupdate files: an update keeps the rules a database
# already has. These files are reloaded by the migration that changed them.
SECURITY_RULE_FILES = ("security/pi_crm_security.xml", "security/pi_interaction_security.xml")


def _post_init_hook(env):
    _activate_english(env)
    _setup_iap_services(env)
    _setup_lead_enrichment(env)


def _setup_iap_services(env):
    """Odoo IAP services start off (models/iap_account.py), SMS included.

    No IAP call leaves the server until an administrator switches the service
    on in Settings › Passion Investment (SMS go through Odoo's servers too:
    numbers and texts). The first admin login would ask partner autocomplete
    to enrich the company (one call per company, then never again): marked
    done, so it never asks. Also run by the 18.0.1.1.0 migration: it changes
    nothing a database already chose.
    """
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


def _reload_security_rules(env):
    """Give PI's record rules the definition of a fresh install.

    The rules are ``noupdate`` (an administrator may adapt them), so ``-u
    pi_crm`` creates the new ones but leaves the changed ones as they were,
    e.g. a consultant writing every partner nobody looks after. Loading the
    files in "init" mode writes every rule of them again (domain, groups,
    ``perm_*`` flags), as installing does; they stay ``noupdate``.
    """
    for filename in SECURITY_RULE_FILES:
        convert_file(env, "pi_crm", filename, {}, mode="init", noupdate=True)


def _activate_english(env):
    """English stays available beside Vietnamese, for every user who picks it.

    Odoo activates only the first language of ``--load-language`` (docker's
    first start and the README install ``vi_VN``), so such a database has
    English inactive and no user could choose it. English needs no
    translation files: its terms are the source text.
    """
    env["res.lang"]._activate_lang("en_US")
