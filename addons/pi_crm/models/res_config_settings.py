from odoo import fields, models
from odoo.exceptions import UserError

from ..tools import sms_marketing


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Odoo IAP services: off unless switched on here (see iap.account._pi_service_enabled)
    pi_iap_partner_autocomplete = fields.Boolean(
        string="Company autocomplete (Odoo IAP)",
        config_parameter="pi_crm.iap_service_partner_autocomplete",
        help="Sends company names, VAT numbers and e-mail domains typed in contact forms to Odoo's servers "
        "(and, from the browser, to Clearbit) to fill in company data.",
    )
    pi_iap_reveal = fields.Boolean(
        string="Lead enrichment and lead mining (Odoo IAP)",
        config_parameter="pi_crm.iap_service_reveal",
        help="Sends the e-mail domains of leads to Odoo's servers to add company data, and asks them for new leads.",
    )
    pi_iap_sms = fields.Boolean(
        string="SMS through Odoo IAP",
        config_parameter="pi_crm.iap_service_sms",
        help="SMS to customers go through Odoo's servers: phone numbers and texts are sent there.",
    )
    pi_iap_snailmail = fields.Boolean(
        string="Letters by post (Odoo IAP)",
        config_parameter="pi_crm.iap_service_snailmail",
        help="Documents sent by post are uploaded to Odoo's servers.",
    )

    pi_loyal_min_renewals = fields.Integer(
        string="Loyal after renewals",
        config_parameter="pi_crm.loyal_min_renewals",
        help="A member who renewed at least this many times is loyal (0: not used).",
    )
    pi_loyal_min_principal = fields.Float(
        string="Loyal from total invested",
        digits=(16, 0),
        config_parameter="pi_crm.loyal_min_principal",
        help="A member whose contracts total at least this principal, in đồng, is loyal (0: not used).",
    )
    pi_marketing_requires_consent = fields.Boolean(
        string="Marketing only with consent", config_parameter="pi_crm.marketing_requires_consent",
        help="Marketing e-mails and SMS go only to people with a granted marketing consent for that channel "
             "(Decree 13/2023/NĐ-CP).")
    pi_data_retention_years = fields.Integer(
        string="Keep contract data (years)", config_parameter="pi_crm.data_retention_years", default=10,
        help="A customer whose contracts closed less than this many years ago cannot be anonymised.")

    # marketing emails (pi.care.mixin, pi.nurture); defaults in tools/marketing_care.py
    pi_care_days = fields.Integer(
        string="Care period", config_parameter="pi_crm.care_days", default=30,
        help="Days after an open or a click during which the lead or customer is on the care list.")
    pi_nurture_delay_days = fields.Integer(
        string="First email after", config_parameter="pi_crm.nurture_delay_days", default=14,
        help="Days after the first interaction (or the creation) before the first marketing email.")
    pi_nurture_cycle_days = fields.Integer(
        string="Then every", config_parameter="pi_crm.nurture_cycle_days", default=14,
        help="Days between two marketing emails to the same lead.")

    # marketing SMS, Decree 91/2020/NĐ-CP (sms.sms._pi_marketing_gate)
    pi_sms_marketing_hours = fields.Char(
        string="Marketing SMS hours",
        config_parameter="pi_crm.sms_marketing_hours",
        default=sms_marketing.DEFAULT_HOURS,
        help="Marketing SMS leave only between these hours, Vietnam time (HH:MM-HH:MM); outside them they wait.",
    )
    pi_sms_marketing_opt_out = fields.Char(
        string="Marketing SMS opt-out instruction",
        config_parameter="pi_crm.sms_marketing_opt_out",
        help="Added at the end of every marketing SMS, e.g. how to refuse further advertising.",
    )
    pi_sms_marketing_daily_cap = fields.Integer(
        string="Marketing SMS per number and day",
        config_parameter="pi_crm.sms_marketing_daily_cap",
        default=sms_marketing.DEFAULT_DAILY_CAP,
        help="The rest waits for the next day.",
    )

    def set_values(self):
        self._pi_check_sms_marketing_hours()
        params = self.env["ir.config_parameter"].sudo()
        before = (params.get_param("pi_crm.loyal_min_renewals"), params.get_param("pi_crm.loyal_min_principal"))
        autocomplete_param = "pi_crm.iap_service_partner_autocomplete"
        autocomplete_before = params.get_param(autocomplete_param)
        result = super().set_values()
        if params.get_param(autocomplete_param) != autocomplete_before:
            # views drop the autocomplete widgets while the service is off: rebuild them
            self.env.registry.clear_cache("templates")
        after = (params.get_param("pi_crm.loyal_min_renewals"), params.get_param("pi_crm.loyal_min_principal"))
        if before != after:
            members = self.env["res.partner"].sudo().with_context(active_test=False).search(
                [("pi_segment", "in", ("member", "loyal"))]
            )
            members._pi_recompute_segment()
        return result

    def _pi_check_sms_marketing_hours(self):
        for settings in self:
            hours = settings.pi_sms_marketing_hours
            if hours and hours.strip() != sms_marketing.DEFAULT_HOURS and (
                    sms_marketing.parse_hours(hours) == sms_marketing.DEFAULT_WINDOW):
                raise UserError(self.env._(
                    "Marketing SMS hours: write them as HH:MM-HH:MM, the start before the end, e.g. 07:00-22:00."))
