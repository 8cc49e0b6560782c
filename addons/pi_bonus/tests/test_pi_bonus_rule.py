from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, users
from odoo.tools import format_amount


class TestPiBonusRule(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant = new_test_user(cls.env, login="bonus_tv", groups="base.group_user,pi_crm.group_pi_consultant")
        cls.manager = new_test_user(cls.env, login="bonus_ql", groups="base.group_user,pi_crm.group_pi_manager")
        cls.pi_admin = new_test_user(cls.env, login="bonus_qt", groups="base.group_user,pi_crm.group_pi_admin")
        cls.rule = cls.env.ref("pi_bonus.pi_bonus_rule_standard")

    @users("bonus_tv")
    def test_consultant_cannot_read_bonus_rules(self):
        with self.assertRaises(AccessError):
            self.env["pi.bonus.rule"].browse(self.rule.id).read(["rate"])

    @users("bonus_ql")
    def test_manager_reads_but_cannot_change_bonus_rules(self):
        rule = self.env["pi.bonus.rule"].browse(self.rule.id)
        self.assertEqual(rule.rate, 0.5)
        with self.assertRaises(AccessError):
            rule.write({"rate": 5})

    @users("bonus_qt")
    def test_admin_changes_a_bonus_rule_and_the_change_is_tracked(self):
        rule = self.env["pi.bonus.rule"].browse(self.rule.id)
        rule.write({"rate": 0.7})
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written just before commit
        self.env.invalidate_all()
        self.assertEqual(rule.rate, 0.7)
        values = rule.sudo().message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == "rate")
        self.assertEqual((values.old_value_float, values.new_value_float), (0.5, 0.7))

    def test_rate_outside_zero_to_hundred_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env["pi.bonus.rule"].create({"name": "Bad", "rate": 120})

    def test_shipped_rules_carry_no_english_creation_note(self):
        # Logged at install, before the translations: "Consultant Bonus Rule được tạo".
        for rule in self.env.ref("pi_bonus.pi_bonus_rule_standard") | self.env.ref("pi_bonus.pi_bonus_rule_large"):
            with self.subTest(rule=rule.name):
                self.assertNotIn(rule._description, " ".join(rule.message_ids.mapped("body")))

    def test_minimum_principal_reads_in_dong(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        rule = self.env.ref("pi_bonus.pi_bonus_rule_large")
        self.assertEqual(format_amount(self.env(context={"lang": "vi_VN"}), rule.min_principal, rule.currency_id),
                         "1.000.000.000\N{NO-BREAK SPACE}₫")

    def test_managers_find_the_menu_and_consultants_do_not(self):
        menu = self.env.ref("pi_bonus.pi_bonus_rule_menu")
        for user, visible in ((self.consultant, False), (self.manager, True), (self.pi_admin, True)):
            with self.subTest(user=user.login):
                self.assertEqual(menu.id in self.env["ir.ui.menu"].with_user(user)._visible_menu_ids(), visible)
