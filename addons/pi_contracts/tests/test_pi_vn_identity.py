import base64
import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..tools import vietqr
from .common import PiContractsCommon, create_investor

DOCUMENT_REPORT = "pi_contracts.report_pi_contract_document"


@tagged("pi_contracts")
class TestPiCitizenId(PiContractsCommon):
    """The investor's CCCD: its own structure, the person it belongs to, one per person."""

    def new_investor(self, number, **values):
        return create_investor(self.env, "Phan Thị Ngọc", self.consultant_lan, pi_id_number=number, **values)

    def test_a_valid_cccd_is_kept_without_its_spaces(self):
        partner = self.new_investor("079 185 004 321", pi_gender="female",
                                    pi_birthdate=datetime.date(1985, 6, 1))
        self.assertEqual((partner.pi_id_number, partner.pi_id_kind), ("079185004321", "cccd"))

    def test_an_old_cmnd_is_accepted_and_marked_old(self):
        self.assertEqual(self.new_investor("012345678").pi_id_kind, "cmnd")

    def test_a_passport_is_not_read_as_a_cccd(self):
        partner = self.new_investor("C1234567", pi_id_is_passport=True)
        self.assertEqual((partner.pi_id_number, partner.pi_id_kind), ("C1234567", "passport"))

    def test_invalid_numbers_are_refused_with_the_reason_in_vietnamese(self):
        cases = [
            ("07918500432", {}, "12 chữ số"),
            ("003185004321", {}, "003"),
            ("079085004321", {"pi_gender": "female"}, "nam"),
            ("079185004321", {"pi_gender": "male"}, "nữ"),
            ("079185004321", {"pi_gender": "female", "pi_birthdate": datetime.date(1986, 1, 1)}, "1985"),
        ]
        partners = self.env["res.partner"].with_context(lang="vi_VN")
        for number, values, reason in cases:
            with self.subTest(number=number), self.assertRaises(ValidationError) as caught:
                create_investor(partners.env, "Phan Thị Ngọc", self.consultant_lan, pi_id_number=number, **values)
            self.assertIn(reason, str(caught.exception))
            self.assertIn("không hợp lệ", str(caught.exception))

    def test_a_later_change_of_birthdate_is_checked_too(self):
        partner = self.new_investor("079185004321", pi_gender="female")
        with self.assertRaises(ValidationError):
            partner.pi_birthdate = datetime.date(1990, 1, 1)

    def test_a_duplicate_names_the_other_customer_only_to_who_may_see_it(self):
        Partner = self.env["res.partner"].with_context(lang="vi_VN")
        with self.assertRaises(ValidationError) as caught:
            Partner.with_user(self.consultant_lan).create(
                {"name": "Lê Hùng", "user_id": self.consultant_lan.id, "pi_id_number": "001078012345"})
        self.assertIn("Lê Văn Hùng", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            Partner.with_user(self.consultant_minh).create(
                {"name": "Lê Hùng", "user_id": self.consultant_minh.id, "pi_id_number": "001 078 012 345"})
        self.assertNotIn("Hùng", str(caught.exception).replace("Lê Hùng", ""))
        self.assertIn("khách hàng khác", str(caught.exception))

    def test_a_contact_of_the_same_customer_may_carry_the_number(self):
        contact = self.env["res.partner"].create({"name": "Lê Văn Hùng (liên hệ)", "parent_id": self.investor_hung.id,
                                                  "pi_id_number": "001078012345"})
        self.assertEqual(contact.pi_id_number, "001078012345")

    def test_activation_requires_the_id_when_pi_says_so(self):
        contract = self.contract_minh  # Tuấn has no ID number
        contract.with_user(self.manager).action_activate()
        contract.action_cancel()
        contract.action_reset_draft()
        self.env["ir.config_parameter"].sudo().set_param("pi_contracts.activation_requires_id", "True")
        with self.assertRaises(UserError) as caught:
            contract.with_context(lang="vi_VN").with_user(self.manager).action_activate()
        self.assertIn("CCCD", str(caught.exception))
        self.assertEqual(contract.state, "draft")
        self.contract_lan.with_user(self.manager).action_activate()
        self.assertEqual(self.contract_lan.state, "active", "Hùng's ID is recorded")

    def test_the_contract_document_prints_the_id(self):
        html = self.env["ir.actions.report"]._render_qweb_html(DOCUMENT_REPORT, self.contract_lan.ids)[0].decode()
        self.assertIn("001078012345", html)


@tagged("pi_contracts")
class TestPiVietQr(PiContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.env.ref("pi_contracts.res_bank_vn_vietinbank")
        cls.account = cls.env["res.partner.bank"].create({
            "partner_id": cls.env.company.partner_id.id, "bank_id": cls.bank.id, "acc_number": "0011001000042",
            "acc_holder_name": "CONG TY PASSION INVESTMENT"})
        cls.env.company.pi_funding_account_id = cls.account

    def test_the_payload_reads_back_to_the_account_amount_and_reference(self):
        contract = self.contract_lan.with_user(self.consultant_lan)
        fields = vietqr.parse(contract.pi_vietqr_payload)
        self.assertEqual(fields["38"]["01"], {"00": "970415", "01": "0011001000042"})
        self.assertEqual(fields["54"], "500000000")
        self.assertEqual(fields["62"]["08"], vietqr.clean_purpose(contract.name.replace("Đ", "D")))
        self.assertTrue(base64.b64decode(contract.pi_vietqr_image).startswith(b"\x89PNG"))
        self.assertEqual(contract.pi_funding_acc_number, "0011001000042")

    def test_no_code_for_a_closed_contract_or_without_an_account(self):
        self.contract_lan.with_user(self.manager).action_activate()
        self.assertTrue(self.contract_lan.pi_vietqr_payload)
        self.contract_lan.with_user(self.pi_admin).action_cancel()
        self.assertEqual(self.contract_lan.state, "cancelled")
        self.contract_lan.invalidate_recordset()  # as the next screen reads it
        self.assertFalse(self.contract_lan.pi_vietqr_payload)
        self.env.company.pi_funding_account_id = False
        self.contract_minh.invalidate_recordset()
        self.assertFalse(self.contract_minh.pi_vietqr_payload)

    def test_the_pdf_carries_the_code(self):
        html = self.env["ir.actions.report"]._render_qweb_html(DOCUMENT_REPORT, self.contract_lan.ids)[0].decode()
        self.assertIn('class="pi_vietqr"', html)
        self.assertIn("0011001000042", html)

    def test_the_funding_account_is_pis_own_with_a_bin(self):
        other = self.env["res.partner.bank"].create({"partner_id": self.investor_hung.id, "bank_id": self.bank.id,
                                                     "acc_number": "123456789"})
        with self.assertRaises(ValidationError):
            self.env.company.pi_funding_account_id = other
        with self.assertRaises(ValidationError):
            self.env["res.bank"].create({"name": "Ngân hàng thử", "pi_napas_bin": "97041"})


@tagged("pi_contracts")
class TestPiDataRetention(PiContractsCommon):
    def test_no_anonymisation_while_the_law_keeps_the_data(self):
        self.contract_lan.with_user(self.manager).action_activate()
        with self.assertRaises(UserError) as caught:
            self.investor_hung.with_context(lang="vi_VN").with_user(self.pi_admin).action_pi_anonymize()
        self.assertIn(self.contract_lan.name, str(caught.exception))
        self.assertEqual(self.investor_hung.name, "Lê Văn Hùng")
        self.assertEqual(self.investor_hung.pi_id_number, "001078012345")

    def test_the_export_lists_the_contracts(self):
        sections = self.investor_hung.with_user(self.manager)._pi_personal_data()
        self.assertIn(self.contract_lan.name, str(sections))

    def test_a_person_without_contracts_is_anonymised_with_their_id(self):
        partner = create_investor(self.env, "Phan Văn Đức", self.consultant_lan, pi_id_number="001090012345",
                                  email="duc@example.vn")
        partner.with_user(self.pi_admin).action_pi_anonymize()
        self.assertFalse(partner.pi_id_number)
        self.assertFalse(partner.email)
