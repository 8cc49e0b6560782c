import importlib.util

from odoo.exceptions import AccessError, ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import Form, tagged

from .common import PiContractsCommon


@tagged("pi_contracts")
class TestPiContractPolicy(PiContractsCommon):
    """The financial policy and the fee levels as an administrator edits them."""

    def _tracked(self, record, field_name):
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are written at commit
        return record.message_ids.tracking_value_ids.filtered(lambda value: value.field_id.name == field_name)

    def test_shipped_policy_and_fee_levels_carry_no_english_creation_note(self):
        # Logged at install, before the translations: "Fee Level được tạo".
        for xmlid in ("financial_policy_main", "fee_tier_20", "fee_tier_10", "document_template_contract",
                      "document_template_renewal", "document_template_settlement"):
            record = self.env.ref(f"pi_contracts.{xmlid}")
            with self.subTest(record=xmlid):
                self.assertNotIn(record._description, " ".join(record.message_ids.mapped("body")))

    # ------------------------------------------------------------------ expiry notices
    def test_expiry_notices_are_a_list_of_whole_days(self):
        # "30,7" in a text field reads as 30.7 in Vietnamese: each number of days is its own tag.
        self.assertEqual(self.env["pi.financial.policy"]._get_notice_days(), (30, 7))
        self.assertEqual(self.vi(self.policy).expiry_threshold_ids.mapped("display_name"), ["30 ngày", "7 ngày"])
        description = self.env["pi.financial.policy"].fields_get(["expiry_threshold_ids"])["expiry_threshold_ids"]
        self.assertEqual(description["type"], "many2many")

    def test_admin_adds_and_removes_days_and_the_chatter_keeps_them(self):
        Threshold = self.env["pi.contract.expiry.threshold"].with_user(self.pi_admin)
        day_60 = Threshold.browse(Threshold.with_context(lang="vi_VN").name_create("60 ngày")[0])
        self.assertEqual(day_60.days, 60)
        self.assertEqual([found for found, _name in Threshold.name_search("30")],
                         self.env.ref("pi_contracts.expiry_threshold_30").ids)
        before = self._tracked(self.policy, "expiry_threshold_ids")  # what the fixture left pending
        with Form(self.vi(self.policy).with_user(self.pi_admin)) as form:
            form.expiry_threshold_ids.add(day_60)
            form.expiry_threshold_ids.remove(id=self.env.ref("pi_contracts.expiry_threshold_7").id)
        self.assertEqual(self.env["pi.financial.policy"]._get_notice_days(), (60, 30))
        tracked = self._tracked(self.policy, "expiry_threshold_ids") - before
        self.assertEqual(len(tracked), 1)
        self.assertEqual(set(tracked.new_value_char.split(", ")), {"60 ngày", "30 ngày"})
        self.assertEqual(tracked.mail_message_id.author_id, self.pi_admin.partner_id)

    def test_a_number_of_days_is_a_whole_positive_number(self):
        Threshold = self.env["pi.contract.expiry.threshold"].with_user(self.pi_admin)
        for text in ("30,7", "ba mươi", "0"):
            with self.subTest(text=text), self.assertRaises(ValidationError):
                Threshold.name_create(text)
        self.assertFalse(Threshold.name_search("30,7"))
        with self.assertRaises(ValidationError):
            self.policy.with_user(self.pi_admin).expiry_threshold_ids = False

    def test_only_an_admin_changes_the_days(self):
        for user in (self.consultant_lan, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["pi.contract.expiry.threshold"].with_user(user).name_create("15")
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.policy.with_user(user).expiry_threshold_ids = self.env.ref("pi_contracts.expiry_threshold_7")
        self.assertEqual(self.env["pi.financial.policy"]._get_notice_days(), (30, 7))

    def test_an_upgraded_database_keeps_its_notice_days(self):
        # Before 18.0.1.1.0 the days were the system parameter "30,7"; the upgrade lists them on the policy.
        path = f"{get_module_path('pi_contracts')}/migrations/18.0.1.1.0/post-migrate.py"
        spec = importlib.util.spec_from_file_location("pi_contracts_post_migrate_18_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        # A policy as the upgrade finds it, without days (the ORM refuses to empty them).
        self.env.cr.execute("DELETE FROM pi_contract_expiry_threshold_pi_financial_policy_rel")
        self.policy.invalidate_recordset()
        self.env["ir.config_parameter"].set_param(migration.OLD_PARAM, "60, 15")
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(self.env["pi.financial.policy"]._get_notice_days(), (60, 15))
        self.assertFalse(self.env["ir.config_parameter"].get_param(migration.OLD_PARAM))

    # ------------------------------------------------------------------ fee levels
    def test_a_fee_level_named_after_its_rate_follows_it(self):
        self.tier_10._update_field_translations("name", {"en_US": "Fee 10%", "vi_VN": "Mức phí 10%"})
        tier = self.vi(self.tier_10).with_user(self.pi_admin)
        before = self._tracked(self.tier_10, "name")
        tier.rate = 12.0
        self.assertEqual(tier.name, "Mức phí 12%")
        self.assertEqual(self.tier_10.with_context(lang="en_US").name, "Fee 12%")
        tracked = self._tracked(self.tier_10, "name") - before
        self.assertEqual((tracked.old_value_char, tracked.new_value_char), ("Mức phí 10%", "Mức phí 12%"))
        tier.rate = 12.5
        self.assertEqual(tier.name, "Mức phí 12,5%")
        self.assertEqual(self.tier_10.with_context(lang="en_US").name, "Fee 12.5%")

    def test_a_fee_level_with_a_name_of_its_own_keeps_it(self):
        tier = self.vi(self.tier_20).with_user(self.pi_admin)
        tier.name = "Nhà đầu tư nhỏ"
        tier.rate = 18.0
        self.assertEqual(tier.name, "Nhà đầu tư nhỏ")
        tier.write({"rate": 15.0, "name": "Phí 15 %"})  # a name given with the rate is the one kept
        self.assertEqual(tier.name, "Phí 15 %")
