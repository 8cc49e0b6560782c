from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, users


class TestPiBonusRule(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, login="bonus_tv", groups="base.group_user,pi_crm.group_pi_consultant")
        new_test_user(cls.env, login="bonus_ql", groups="base.group_user,pi_crm.group_pi_manager")
        new_test_user(cls.env, login="bonus_qt", groups="base.group_user,pi_crm.group_pi_admin")
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
        self.assertEqual(self.rule.currency_id, self.env.ref("base.VND"))
