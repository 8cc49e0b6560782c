from odoo import api, models, tools
from odoo.exceptions import UserError

# PI keeps its data home: an Odoo IAP service (iap.service technical name) may be
# called only once an administrator switched it on in Settings › Passion
# Investment, which sets this parameter. Services without a switch there
# (installed later) stay off until the parameter is set by hand.
IAP_SERVICE_PARAM = "pi_crm.iap_service_%s"


class IapAccount(models.Model):
    """Every stock IAP client asks this model for its account (token) before it
    sends anything: partner autocomplete and company enrichment, lead enrichment
    and mining, SMS, letters by post. A service PI has not switched on gets no
    account, so nothing is sent; the balance and account-information calls to
    Odoo are skipped for it too."""

    _inherit = "iap.account"

    @api.model
    def get(self, service_name, force_create=True):
        if not self.env.context.get("pi_iap_url_only"):
            self._pi_check_service_enabled(service_name)
        return super().get(service_name, force_create=force_create)

    @api.model
    def get_credits(self, service_name):
        if not self._pi_service_enabled(service_name):
            return 0
        return super().get_credits(service_name)

    @api.model
    def get_credits_url(self, service_name, base_url="", credit=0, trial=False, account_token=False):
        # only builds a link for the browser: nothing is sent from here
        return super(IapAccount, self.with_context(pi_iap_url_only=True)).get_credits_url(
            service_name, base_url=base_url, credit=credit, trial=trial, account_token=account_token
        )

    @api.model
    def get_config_account_url(self):
        # only builds a link to the IAP accounts menu
        return super(IapAccount, self.with_context(pi_iap_url_only=True)).get_config_account_url()

    def write(self, vals):
        off = self.filtered(lambda account: not self._pi_service_enabled(account.service_name))
        if off:
            # no warning-threshold update sent to Odoo for a service that is off
            super(IapAccount, off.with_context(disable_iap_update=True)).write(vals)
        return super(IapAccount, self - off).write(vals)

    def _get_account_information_from_iap(self):
        on = self.filtered(lambda account: self._pi_service_enabled(account.service_name))
        if on:
            return super(IapAccount, on)._get_account_information_from_iap()
        return None

    @api.model
    def _pi_service_enabled(self, service_name):
        """Whether PI switched the IAP service ``service_name`` on."""
        value = self.env["ir.config_parameter"].sudo().get_param(IAP_SERVICE_PARAM % service_name)
        return tools.str2bool(value or "0", False)

    @api.model
    def _pi_check_service_enabled(self, service_name):
        if not self._pi_service_enabled(service_name):
            raise UserError(
                self.env._(
                    "The Odoo IAP service “%(service)s” is switched off: Passion Investment sends no data to "
                    "Odoo's servers until an administrator switches it on in Settings › Passion Investment.",
                    service=service_name,
                )
            )

