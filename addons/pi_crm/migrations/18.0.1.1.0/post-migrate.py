"""18.0.1.1.0: a database updated from 18.0.1.0.0 gets the security of a fresh install.

- record rules on partners (consultants read the partners nobody looks after,
  write only their own customers) and on the wizards (own only): the rule
  files are noupdate, so the update alone keeps the old partner rule;
- Odoo IAP: every service starts off (nothing to write: an unset switch is
  off); stock lead enrichment on demand and no company enrichment at the
  first admin login, unless the database already chose;
- the shipped Vietnamese of pi_crm's own terms, over the one the database
  holds (an update keeps translations already there): corrected labels such as
  "Chưa liên hệ" (Never Contacted), "Tên khoá" (Key Name);
- a demo database: stock CRM's demo leads archived, as a fresh demo install
  does (demo files are not loaded again on update).
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.pi_crm import _reload_security_rules, _setup_iap_services, _setup_lead_enrichment


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _reload_security_rules(env)
    _setup_iap_services(env)
    _setup_lead_enrichment(env)
    languages = [code for code, _name in env["res.lang"].get_installed() if code != "en_US"]
    env["ir.module.module"]._load_module_terms(["pi_crm"], languages, overwrite=True)
    if env.ref("base.module_pi_crm").demo:
        env["crm.lead"]._pi_demo_archive_stock_leads()
