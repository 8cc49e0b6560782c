import importlib.util

from odoo.exceptions import AccessError
from odoo.modules.module import get_module_path
from odoo.tests import tagged

from ..models.iap_account import IAP_SERVICE_PARAM
from .common import PiCrmCommon

# The consultant's partner rule as 18.0.1.0.0 shipped it: read, write, create and
# unlink every partner nobody looks after (the company's own one included).
OLD_PARTNER_RULE = "['|', ('user_id', '=', user.id), ('user_id', '=', False)]"


def _load_migration(version, name):
    path = f"{get_module_path('pi_crm')}/migrations/{version}/{name}.py"
    spec = importlib.util.spec_from_file_location(f"pi_crm_migration_{name.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("pi_security")
class TestPiCrmUpgrade(PiCrmCommon):
    """Record rules ship in noupdate files: ``-u pi_crm`` on a database installed
    with 18.0.1.0.0 keeps the old partner rule unless the 18.0.1.1.0 migration
    writes it again. After it, the database holds what a fresh install does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_read = cls.env.ref("pi_crm.res_partner_rule_consultant")
        cls.rule_write = cls.env.ref("pi_crm.res_partner_rule_consultant_write")
        cls.company_partner = cls.env.company.partner_id
        cls.params = cls.env["ir.config_parameter"].sudo()

    def _consultant_writes_company_partner(self):
        self.company_partner.with_user(self.consultant_lan).write({"email": "ke.gian@example.vn"})

    def test_fresh_install_has_the_split_partner_rules(self):
        rules = self.rule_read | self.rule_write
        self.assertEqual(
            [(rule.perm_read, rule.perm_write, rule.perm_create, rule.perm_unlink) for rule in rules],
            [(True, False, False, False), (False, True, True, True)],
        )
        self.assertIn("partner_share", self.rule_read.domain_force)
        self.assertEqual(
            self.rule_write.domain_force,
            "['|', ('user_id', '=', user.id), ('commercial_partner_id.user_id', '=', user.id)]",
        )
        self.assertEqual(self.env.ref("crm.crm_rule_personal_lead").domain_force, "[('user_id', '=', user.id)]")
        with self.assertRaises(AccessError):
            self._consultant_writes_company_partner()

    def test_migration_restores_the_rules_of_a_fresh_install(self):
        fresh = {
            rule: rule.read(["domain_force", "perm_read", "perm_write", "perm_create", "perm_unlink", "groups"])[0]
            for rule in self.env["ir.rule"].search([("id", "in", self._pi_rule_ids())])
        }
        # the database as 18.0.1.0.0 left it and as the update alone keeps it
        self.rule_read.write({"domain_force": OLD_PARTNER_RULE, "perm_write": True, "perm_create": True,
                              "perm_unlink": True})
        self.env.ref("pi_crm.pi_lead_entry_rule_own").domain_force = "[(1, '=', 1)]"
        self._consultant_writes_company_partner()  # the hole of issue 11 point 5
        self.company_partner.email = "info@passioninvestment.vn"

        _load_migration("18.0.1.1.0", "post-migrate").migrate(self.env.cr, "18.0.1.0.0")

        for rule, values in fresh.items():
            with self.subTest(rule=rule.name):
                self.assertEqual(rule.read(list(values))[0], values)
        with self.assertRaises(AccessError):
            self._consultant_writes_company_partner()
        self.assertEqual(self.company_partner.email, "info@passioninvestment.vn")

    def test_migration_keeps_iap_choices_and_sets_only_the_unset_ones(self):
        self.params.set_param(IAP_SERVICE_PARAM % "sms", "True")
        self.params.set_param("crm.iap.lead.enrich.setting", "auto")
        _load_migration("18.0.1.1.0", "post-migrate").migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(self.params.get_param(IAP_SERVICE_PARAM % "sms"), "True", "switched on by an admin")
        self.assertEqual(self.params.get_param("crm.iap.lead.enrich.setting"), "auto", "chosen already")
        self.assertFalse(self.params.get_param(IAP_SERVICE_PARAM % "partner_autocomplete"), "unset stays off")
        self.params.set_param("crm.iap.lead.enrich.setting", False)
        _load_migration("18.0.1.1.0", "post-migrate").migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(self.params.get_param("crm.iap.lead.enrich.setting"), "manual")

    def test_migration_brings_the_corrected_vietnamese(self):
        action = self.env.ref("pi_crm.pi_lead_never_contacted_action")
        action.update_field_translations("name", {"vi_VN": "Chưa giao dịch"})  # as 18.0.1.0.0 shipped it
        _load_migration("18.0.1.1.0", "post-migrate").migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(action.with_context(lang="vi_VN").name, "Chưa liên hệ")
        self.assertEqual(action.with_context(lang="en_US").name, "Never Contacted")

    def _pi_rule_ids(self):
        """PI's record rules, and the stock lead rule PI narrows."""
        rules = self.env["ir.model.data"].search([("module", "=", "pi_crm"), ("model", "=", "ir.rule")])
        return rules.mapped("res_id") + [self.env.ref("crm.crm_rule_personal_lead").id]
