from odoo.tests import tagged

from odoo.addons.pi_contracts.tools import vietqr

from .common import PiPortalHttpCommon


@tagged("post_install", "-at_install", "pi_portal")
class TestPiPortalVietnam(PiPortalHttpCommon):
    """The contract page's transfer code, and the investor's own consents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        bank = cls.env.ref("pi_contracts.res_bank_vn_vcb")
        account = cls.env["res.partner.bank"].create({
            "partner_id": cls.env.company.partner_id.id, "bank_id": bank.id, "acc_number": "0071000123456",
            "acc_holder_name": "CONG TY PASSION INVESTMENT"})
        cls.env.company.pi_funding_account_id = account
        Consent = cls.env["pi.consent"]
        cls.consent_a = Consent.create({"partner_id": cls.investor_a.id, "channel": "sms", "purpose": "marketing"})
        cls.consent_b = Consent.create({"partner_id": cls.investor_b.id, "channel": "sms", "purpose": "marketing"})

    def test_the_contract_page_shows_the_transfer_code(self):
        self.authenticate("pp_hung", "pp_hung")
        page = self.url_open(f"/my/investments/{self.contract_a.id}").text
        self.assertIn('class="pi_vietqr"', page)
        self.assertIn("0071000123456", page)
        fields = vietqr.parse(self.contract_a.pi_vietqr_payload)
        self.assertEqual(fields["54"], str(int(self.contract_a.principal)))

    def test_the_investor_withdraws_their_own_consent(self):
        self.authenticate("pp_hung", "pp_hung")
        token = self.csrf_from("/my/investor")
        response = self.url_open(f"/my/investor/consent/{self.consent_a.id}/withdraw", data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertIn("pi_consent_withdrawn", response.text)
        self.assertEqual((self.consent_a.state, self.consent_a.source), ("withdrawn", "portal"))
        self.assertTrue(self.env["phone.blacklist"].search([("number", "=", self.investor_a.phone_sanitized)]))

    def test_another_investors_consent_is_not_found(self):
        self.authenticate("pp_hung", "pp_hung")
        token = self.csrf_from("/my/investor")
        for consent_id in (self.consent_b.id, 2**31, 999999):
            with self.subTest(consent_id=consent_id):
                response = self.url_open(f"/my/investor/consent/{consent_id}/withdraw", data={"csrf_token": token})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.consent_b.state, "granted")

    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.url_open(f"/my/investor/consent/{self.consent_a.id}/withdraw", data={},
                                 allow_redirects=False)
        self.assertNotEqual(response.status_code, 200)
        self.assertGreaterEqual(response.status_code, 300)
        self.assertEqual(self.consent_a.state, "granted")
