import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PiContractsCommon, create_investor, create_pi_user


@tagged("pi_contracts")
class TestPiContractCompanies(PiContractsCommon):
    """Two companies: the fixture's (A, the main company) and PI Đà Nẵng (B), whose
    manager Bình and consultant Dũng work in B only. A product of A and A's
    contracts are A's; a product without a company is sold in both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.contract_lan.company_id
        cls.company_b = cls.env["res.company"].create({"name": "PI Đà Nẵng"})
        in_b = {"company_id": cls.company_b.id, "company_ids": [(6, 0, cls.company_b.ids)]}
        cls.manager_b = create_pi_user(cls.env, "manager", "pc_ql_binh", "Ngô Văn Bình", **in_b)
        cls.consultant_b = create_pi_user(cls.env, "consultant", "pc_tv_dung", "Lý Văn Dũng", **in_b)
        cls.product.company_id = cls.company_a
        cls.product_shared = cls.product.copy({"code": "TBCC-ALL", "company_id": False})
        cls.investor_b = create_investor(cls.env, "Trịnh Văn Sơn", cls.consultant_b, mobile="+84903333333")

    def test_a_user_of_b_neither_sees_nor_edits_the_contracts_of_a(self):
        for user in (self.manager_b, self.consultant_b):
            with self.subTest(user=user.login):
                Contract = self.env["pi.investment.contract"].with_user(user)
                self.assertFalse(Contract.search([("id", "in", (self.contract_lan | self.contract_minh).ids)]))
                with self.assertRaises(AccessError):
                    Contract.browse(self.contract_lan.id).read(["principal"])
                with self.assertRaises(AccessError):
                    Contract.browse(self.contract_lan.id).write({"note": "<p>B</p>"})
        # A's own manager still sees them.
        self.assertEqual(self.env["pi.investment.contract"].with_user(self.manager).search(
            [("id", "in", (self.contract_lan | self.contract_minh).ids)]), self.contract_lan | self.contract_minh)

    def test_a_user_of_b_neither_sees_nor_edits_the_products_of_a(self):
        Product = self.env["pi.investment.product"].with_user(self.manager_b)
        found = Product.search([("id", "in", (self.product | self.product_shared).ids)])
        self.assertEqual(found, self.product_shared, "A's product is not B's; the shared one is")
        with self.assertRaises(AccessError):
            Product.browse(self.product.id).read(["name"])
        with self.assertRaises(AccessError):
            Product.browse(self.product.id).write({"name": "B's now"})
        Nav = self.env["pi.product.performance"].with_user(self.manager_b)
        self.assertFalse(Nav.search([("product_id", "=", self.product.id)]), "nor its NAV")

    def test_a_contract_of_b_takes_a_product_of_b_or_a_shared_one(self):
        Contract = self.env["pi.investment.contract"].with_user(self.manager_b)
        contract = Contract.create({"partner_id": self.investor_b.id, "product_id": self.product_shared.id,
                                    "principal": 100_000_000, "date_start": self.start})
        self.assertEqual(contract.company_id, self.company_b)
        # Even as superuser (an import, a script): A's product does not go on B's contract.
        with self.assertRaisesRegex(UserError, re.escape(self.product.display_name)):
            self.env["pi.investment.contract"].create({
                "partner_id": self.investor_b.id, "product_id": self.product.id, "principal": 100_000_000,
                "date_start": self.start, "company_id": self.company_b.id})
