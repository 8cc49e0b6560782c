from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.iap.tools import iap_tools

from ..models.iap_account import IAP_SERVICE_PARAM

AUTOCOMPLETE_WIDGETS = ('widget="field_partner_autocomplete"', 'widget="res_partner_many2one"')


@tagged("pi_security")
class TestPiIapPrivacy(TransactionCase):
    """Issue 11 point 10: no Odoo IAP call leaves the server unless PI switched
    the service on in Settings › Passion Investment.

    Every request to IAP goes through ``iap_tools.iap_jsonrpc``: it is replaced by
    a function that fails the test. Stock clients also skip their calls in test
    mode by themselves (partner autocomplete checks ``registry.in_test_mode()``,
    the IAP account model ``is_running_test_suite()``): those guards are lifted
    around the calls, so each entry point goes as far as it would on a server.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.company = cls.env.company
        cls.company.write({"email": "info@passioninvestment.vn", "website": "https://passioninvestment.vn"})
        cls.has_autocomplete = "iap.autocomplete.api" in cls.env
        cls.has_lead_enrichment = "iap_enrich_done" in cls.env["crm.lead"]._fields
        # lead enrichment commits between batches unless the registry is in test mode
        cls.registry.enter_test_mode(cls.cr)

    @classmethod
    def tearDownClass(cls):
        cls.registry.leave_test_mode()
        super().tearDownClass()

    @contextmanager
    def _no_iap_request(self):
        with patch.object(iap_tools, "iap_jsonrpc", side_effect=AssertionError("a request left for Odoo IAP")) as rpc:
            yield rpc
        self.assertFalse(rpc.called)

    @contextmanager
    def _as_on_a_server(self):
        with patch.object(type(self.registry), "in_test_mode", return_value=False):
            yield

    def _switch_on(self, service):
        self.params.set_param(IAP_SERVICE_PARAM % service, "True")

    # ------------------------------------------------------------ after install
    def test_services_are_off_after_install_except_sms(self):
        for service in ("partner_autocomplete", "reveal", "snailmail"):
            with self.subTest(service=service):
                self.assertFalse(self.params.get_param(IAP_SERVICE_PARAM % service))
        self.assertEqual(self.params.get_param(IAP_SERVICE_PARAM % "sms"), "True", "PI sends SMS through IAP")
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.pi_iap_partner_autocomplete or settings.pi_iap_reveal or settings.pi_iap_snailmail)
        self.assertTrue(settings.pi_iap_sms)
        self.assertEqual(self.params.get_param("crm.iap.lead.enrich.setting"), "manual")
        if self.has_autocomplete:
            self.assertTrue(self.company.iap_enrich_auto_done, "no company enrichment at the first admin login")

    # ------------------------------------------------------------ partner autocomplete
    def test_partner_autocomplete_sends_nothing_while_off(self):
        if not self.has_autocomplete:
            self.skipTest("partner_autocomplete is not installed")
        Partner = self.env["res.partner"]
        with self._no_iap_request(), self._as_on_a_server():
            self.assertEqual(Partner.autocomplete("Passion Investment"), [])
            self.assertTrue(Partner.enrich_company("passioninvestment.vn", False, False).get("error"))
            self.company.iap_enrich_auto_done = False
            self.company.iap_enrich_auto()
            self.assertEqual(self.env["iap.account"].get_credits("partner_autocomplete"), 0)
        self.assertFalse(self.env["iap.account"].search([("service_name", "=", "partner_autocomplete")]))

    def test_partner_autocomplete_sends_once_switched_on(self):
        if not self.has_autocomplete:
            self.skipTest("partner_autocomplete is not installed")
        self._switch_on("partner_autocomplete")
        with patch.object(iap_tools, "iap_jsonrpc", return_value=[]) as rpc, self._as_on_a_server():
            self.env["res.partner"].autocomplete("Passion Investment")
        self.assertTrue(rpc.called, "the switch, not the test mode, is what kept the data home")

    def test_autocomplete_widgets_are_plain_fields_while_off(self):
        for model in ("res.partner", "crm.lead"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            with self.subTest(model=model):
                self.assertFalse([widget for widget in AUTOCOMPLETE_WIDGETS if widget in arch])
        if not self.has_autocomplete:
            return
        # the setting switches them back on (it clears the view cache)
        self.env["res.config.settings"].create({"pi_iap_partner_autocomplete": True}).set_values()
        arch = self.env["crm.lead"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('widget="res_partner_many2one"', arch)

    # ------------------------------------------------------------ leads
    def test_lead_enrichment_and_mining_send_nothing_while_off(self):
        if not self.has_lead_enrichment:
            self.skipTest("crm_iap_enrich is not installed")
        lead = self.env["crm.lead"].create({"name": "Sao Mai", "email_from": "an.nguyen@saomai-group.vn"})
        with self._no_iap_request():
            lead.iap_enrich()
        self.assertFalse(lead.iap_enrich_done)
        if "crm.iap.lead.mining.request" in self.env:
            request = self.env["crm.iap.lead.mining.request"].create({"lead_number": 3})
            with self._no_iap_request(), self.assertRaisesRegex(UserError, "đang tắt"):
                request.with_context(lang="vi_VN").action_submit()

    # ------------------------------------------------------------ accounts, SMS
    def test_iap_accounts_are_not_queried_while_off(self):
        account = self.env["iap.account"].create(
            {"service_id": self.env["iap.service"].search([("technical_name", "=", "reveal")]).id}
        )
        IapAccount = type(self.env["iap.account"])
        # the account exists: get() finds it, no test-mode branch is needed there
        with self._no_iap_request(), patch.object(IapAccount, "is_running_test_suite", staticmethod(lambda: False)):
            account.web_read({"balance": {}})
            account.write({"warning_threshold": 10})
            self.assertEqual(self.env["iap.account"].get_credits("reveal"), 0)
            self.assertIn("iap.odoo.com", self.env["iap.account"].get_credits_url("reveal"))

    def test_sms_stay_unsent_once_switched_off(self):
        self.params.set_param(IAP_SERVICE_PARAM % "sms", False)
        sms = self.env["sms.sms"].create({"number": "+84912345678", "body": "Nhắc lịch hẹn"})
        with self._no_iap_request():
            sms._send()
        self.assertEqual(sms.state, "error")
