from odoo.exceptions import AccessError
from odoo.tests import users

from .common import PiCrmCommon


class TestPiCrmSecurity(PiCrmCommon):
    def test_groups_form_one_chain(self):
        self.assertTrue(self.manager.has_group("pi_crm.group_pi_consultant"))
        self.assertTrue(self.pi_admin.has_group("pi_crm.group_pi_manager"))
        self.assertTrue(self.pi_admin.has_group("pi_crm.group_pi_consultant"))
        self.assertFalse(self.consultant_lan.has_group("pi_crm.group_pi_manager"))
        self.assertFalse(self.manager.has_group("pi_crm.group_pi_admin"))
        category = self.env.ref("pi_crm.module_category_passion_investment")
        self.assertEqual(self.env.ref("pi_crm.group_pi_admin").category_id, category)

    @users("test_tv_lan")
    def test_consultant_sees_only_own_customers(self):
        Partner = self.env["res.partner"]
        visible = Partner.search([("id", "in", (self.customer_lan | self.customer_minh | self.company_unassigned).ids)])
        self.assertEqual(visible, self.customer_lan.with_user(self.env.user) | self.company_unassigned)
        with self.assertRaises(AccessError):
            Partner.browse(self.customer_minh.id).read(["name"])

    @users("test_tv_lan")
    def test_consultant_sees_only_own_leads(self):
        Lead = self.env["crm.lead"]
        ids = (self.lead_lan | self.lead_minh | self.lead_unassigned).ids
        self.assertEqual(Lead.search([("id", "in", ids)]).ids, self.lead_lan.ids)
        with self.assertRaises(AccessError):
            Lead.browse(self.lead_minh.id).read(["name"])
        with self.assertRaises(AccessError):
            Lead.browse(self.lead_unassigned.id).read(["name"])

    @users("test_tv_lan")
    def test_consultant_cannot_take_over_a_foreign_customer(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].browse(self.customer_minh.id).write({"user_id": self.env.user.id})

    @users("test_ql_ha")
    def test_manager_sees_every_customer_and_lead(self):
        partners = self.env["res.partner"].search([("id", "in", (self.customer_lan | self.customer_minh).ids)])
        self.assertEqual(len(partners), 2)
        leads = self.env["crm.lead"].search([("id", "in", (self.lead_lan | self.lead_minh | self.lead_unassigned).ids)])
        self.assertEqual(len(leads), 3)
