import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.pi_bonus import _post_init_hook

from ..tools import bonus_write
from .bonus_common import PiBonusCommon

TODAY = datetime.date(2026, 11, 10)


@tagged("pi_bonus")
class TestPiBonusLineLifecycle(PiBonusCommon):
    """Activation makes the provisional line from the rules in force, the scan tick
    makes it official, cancelling the contract cancels it."""

    @freeze_time(TODAY)
    def test_activation_makes_a_provisional_line_from_the_rule_in_force(self):
        cases = [  # principal, rule, rate, amount in whole đồng
            (500_000_000, self.rule_standard, 0.5, 2_500_000),
            (333_333_333, self.rule_standard, 0.5, 1_666_667),
            (999_999_999, self.rule_standard, 0.5, 5_000_000),
            (1_000_000_000, self.rule_large, 0.8, 8_000_000),
            (1_500_000_000, self.rule_large, 0.8, 12_000_000),
            (4_999_999_999, self.rule_large, 0.8, 40_000_000),
            (5_000_000_000, self.rule_very_large, 1.0, 50_000_000),
        ]
        contracts = self.env["pi.investment.contract"].concat(*(self._contract(case[0]) for case in cases))
        contracts.with_user(self.consultant_lan).action_activate()
        for contract, (principal, rule, rate, amount) in zip(contracts, cases, strict=True):
            line = self._line(contract)
            with self.subTest(principal=principal):
                self.assertEqual(len(line), 1)
                self.assertEqual((line.rule_id, line.rate, line.amount, line.principal),
                                 (rule, rate, amount, principal))
                self.assertEqual((line.state, line.date_provisional, line.user_id),
                                 ("provisional", TODAY, self.consultant_lan))
                self.assertFalse(line.is_renewal)
                self.assertFalse(line.date_official or line.date_cancelled)
                self.assertEqual(line.amount_computed, amount)

    def test_rules_of_another_company_do_not_apply(self):
        other = self.env["res.company"].create({"name": "PI Hà Nội"})
        self.env["pi.bonus.rule"].create({"name": "HN", "min_principal": 100_000_000, "rate": 3.0,
                                          "company_id": other.id})
        self.contract_lan.action_activate()
        self.assertEqual(self._line(self.contract_lan).rule_id, self.rule_standard)

    def test_no_line_without_a_rule(self):
        (self.rule_standard | self.rule_large | self.rule_very_large).active = False
        self.contract_lan.action_activate()
        self.assertFalse(self._line(self.contract_lan))

    def test_activating_twice_never_makes_two_lines(self):
        self.contract_lan.action_activate()
        with self.assertRaises(UserError):
            self.contract_lan.action_activate()
        # the activation's own step again (a retried job) finds the line and leaves it
        self.env["pi.bonus.line"]._pi_create_for_contracts(self.contract_lan)
        self.assertEqual(len(self._line(self.contract_lan)), 1)
        # and the database refuses a second line for the contract, whoever writes it
        Line = self.env["pi.bonus.line"].sudo().with_context(**bonus_write.action_context())
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            Line.create({"contract_id": self.contract_lan.id, "user_id": self.consultant_lan.id})

    def test_the_scan_tick_makes_the_line_official_and_taking_it_back_provisional(self):
        contract = self.contract_lan.with_user(self.consultant_lan)
        contract.action_activate()
        line = self._line(contract)
        with freeze_time("2026-11-20"):
            contract.scanned_original = True
        self.assertEqual((line.state, line.date_official), ("official", datetime.date(2026, 11, 20)))
        contract.scanned_original = False
        self.assertEqual((line.state, line.date_official), ("provisional", False))

    def test_a_contract_scanned_before_activation_is_official_at_once(self):
        self.contract_lan.scanned_original = True
        self.contract_lan.action_activate()
        line = self._line(self.contract_lan)
        self.assertEqual((line.state, line.date_official), ("official", self.contract_lan.date_activated))

    def test_cancelling_the_contract_cancels_its_line(self):
        self.contract_lan.action_activate()
        self.contract_lan.scanned_original = True
        with freeze_time("2026-12-15"):
            self.contract_lan.with_user(self.pi_admin).action_cancel()
        line = self._line(self.contract_lan)
        self.assertEqual((line.state, line.date_cancelled), ("cancelled", datetime.date(2026, 12, 15)))
        # a cancelled line stays cancelled whatever the tick does
        self.contract_lan.scanned_original = False
        self.assertEqual(line.state, "cancelled")

    def test_a_draft_cancelled_makes_no_line(self):
        self.contract_lan.action_cancel()
        self.assertFalse(self._line(self.contract_lan))

    def test_activated_again_after_cancellation_the_line_comes_back_from_todays_rules(self):
        self.contract_lan.action_activate()
        self.contract_lan.with_user(self.pi_admin).action_cancel()
        self.rule_standard.rate = 0.6
        self.contract_lan.with_user(self.pi_admin).action_reset_draft()
        self.contract_lan.action_activate()
        line = self._line(self.contract_lan)
        self.assertEqual(len(line), 1)
        self.assertEqual((line.state, line.rate, line.amount, line.date_cancelled),
                         ("provisional", 0.6, 3_000_000, False))

    def test_a_rule_change_never_alters_an_existing_line(self):
        self.contract_lan.action_activate()
        self.contract_minh.action_activate()
        line_lan, line_minh = self._line(self.contract_lan), self._line(self.contract_minh)
        admin_rules = (self.rule_standard | self.rule_large).with_user(self.pi_admin)
        admin_rules[0].write({"rate": 0.7})
        admin_rules[1].write({"rate": 1.2, "min_principal": 2_000_000_000})
        self.rule_very_large.with_user(self.pi_admin).active = False
        self.env.invalidate_all()
        self.assertEqual((line_lan.rate, line_lan.amount, line_lan.rule_id), (0.5, 2_500_000, self.rule_standard))
        self.assertEqual((line_minh.rate, line_minh.amount), (0.8, 12_000_000))
        # a contract activated now follows the rules as they are now
        later = self._contract(1_500_000_000)
        later.action_activate()
        self.assertEqual((self._line(later).rate, self._line(later).amount), (0.7, 10_500_000))

    def test_a_handover_keeps_past_lines_with_the_consultant_who_earned_them(self):
        self.contract_lan.action_activate()
        line = self._line(self.contract_lan)
        # Hùng and his contract are handed over to Minh
        self.investor_hung.with_user(self.manager).user_id = self.consultant_minh
        self.contract_lan.with_user(self.manager).user_id = self.consultant_minh
        self.contract_lan.scanned_original = True
        self.assertEqual((line.user_id, line.state), (self.consultant_lan, "official"))
        self.assertEqual(self.env["pi.bonus.line"].with_user(self.consultant_lan).search([]), line)
        self.assertFalse(self.env["pi.bonus.line"].with_user(self.consultant_minh).search(
            [("id", "=", line.id)]))
        # Hùng's next contract is Minh's bonus
        later = self._contract(500_000_000)
        later.action_activate()
        self.assertEqual(self._line(later).user_id, self.consultant_minh)
        self.assertEqual(self.contract_lan.with_user(self.consultant_minh).pi_bonus_line_ids.ids, [])


@tagged("pi_bonus")
class TestPiBonusRenewal(PiBonusCommon):
    """A renewal earns a bonus on its new principal when its rule says renewals do."""

    def _renew(self, contract):
        wizard = self.env["pi.contract.renew"].with_user(contract.user_id).create({
            "contract_id": contract.id, "date_start": datetime.date(2027, 1, 1)})
        return self.env["pi.investment.contract"].browse(wizard.action_confirm()["res_id"])

    @freeze_time("2027-01-05")
    def test_a_renewal_earns_a_bonus_when_the_rule_says_so(self):
        self.contract_lan.action_activate()
        new = self._renew(self.contract_lan)
        self.assertEqual(new.state, "active")
        line = self._line(new)
        self.assertTrue(line.is_renewal)
        self.assertEqual((line.principal, line.rate, line.amount, line.user_id),
                         (554_000_000, 0.5, 2_770_000, self.consultant_lan))
        self.assertEqual(len(self._line(self.contract_lan)), 1)  # the old contract keeps its own

    @freeze_time("2027-01-05")
    def test_no_bonus_on_a_renewal_when_the_rule_gives_none(self):
        self.rule_large.with_user(self.pi_admin).apply_to_renewals = False
        (self.contract_lan | self.contract_minh).action_activate()
        new_lan, new_minh = self._renew(self.contract_lan), self._renew(self.contract_minh)
        self.assertFalse(self._line(new_minh))  # 1,5 tỷ + profit: the large rule, no renewals
        self.assertTrue(self._line(new_lan).is_renewal)  # the standard rule still pays renewals
        self.assertEqual(self._line(self.contract_minh).amount, 12_000_000)


@tagged("pi_bonus")
class TestPiBonusLineSecurity(PiBonusCommon):
    """Consultants read their own lines, managers all; nobody writes amounts or states
    by hand, superuser included; only a full-rights administrator corrects, with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.contract_lan | cls.contract_minh).action_activate()
        cls.line_lan, cls.line_minh = cls._line(cls.contract_lan), cls._line(cls.contract_minh)

    def test_who_reads_which_lines(self):
        Line = self.env["pi.bonus.line"]
        both = self.line_lan | self.line_minh
        self.assertEqual(Line.with_user(self.consultant_lan).search([("id", "in", both.ids)]), self.line_lan)
        self.assertEqual(Line.with_user(self.consultant_minh).search([("id", "in", both.ids)]), self.line_minh)
        for user in (self.manager, self.pi_admin):
            self.assertEqual(Line.with_user(user).search([("id", "in", both.ids)]), both)
        with self.assertRaises(AccessError):
            self.line_minh.with_user(self.consultant_lan).read(["amount"])
        for user in (self.investor_user, self.public_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.line_lan.with_user(user).read(["amount"])

    def test_the_contract_shows_its_line_to_who_may_see_it(self):
        self.assertEqual(self.contract_lan.with_user(self.consultant_lan).pi_bonus_line_ids, self.line_lan)
        self.assertEqual(self.contract_lan.with_user(self.manager).pi_bonus_line_ids, self.line_lan)
        self.contract_lan.with_user(self.pi_admin).action_cancel()
        self.contract_lan.with_user(self.pi_admin).action_reset_draft()
        self.contract_lan.action_activate()  # investors read active contracts in the portal
        with self.assertRaises(AccessError):
            self.contract_lan.with_user(self.investor_user).read(["pi_bonus_line_ids"])

    def test_nobody_writes_a_line_by_hand(self):
        attempts = {
            "write amount": lambda line: line.write({"amount": 99_000_000}),
            "write state": lambda line: line.write({"state": "official"}),
            "write date": lambda line: line.write({"date_official": "2026-11-30"}),
            "write consultant": lambda line: line.write({"user_id": self.consultant_minh.id}),
            "unlink": lambda line: line.unlink(),
            "create": lambda line: line.create({"contract_id": self.contract_lan.id, "user_id": line.env.uid,
                                                "amount": 1}),
        }
        users = (self.consultant_lan, self.manager, self.pi_admin, self.env.ref("base.user_admin"))
        for user in users:
            for name, attempt in attempts.items():
                with self.subTest(user=user.login, attempt=name), self.assertRaises(UserError):  # AccessError is one
                    attempt(self.line_lan.with_user(user))
        for name, attempt in attempts.items():  # superuser too (a script, a server action)
            with self.subTest(user="superuser", attempt=name), self.assertRaises(UserError):
                attempt(self.line_lan.sudo())
        self.assertEqual((self.line_lan.amount, self.line_lan.state), (2_500_000, "provisional"))
        self.assertTrue(self.line_lan.exists())

    def test_a_forged_context_key_does_not_open_the_guard(self):
        forged = {bonus_write.ACTION_WRITE_KEY: True}
        with self.assertRaises(UserError):
            self.line_lan.sudo().with_context(**forged).write({"amount": 1})

    def test_an_administrator_corrects_an_amount_with_a_reason(self):
        # the line was made in an earlier transaction (setUpClass's): its changes are tracked
        self.env.flush_all()
        self.env.cr.precommit.run()
        action = self.line_lan.with_user(self.pi_admin).action_open_correct_wizard()
        form = Form(self.env["pi.bonus.line.correct"].with_user(self.pi_admin).with_context(**action["context"]))
        self.assertEqual(form.amount, 2_500_000)
        form.amount = 3_000_000
        form.reason = "Thưởng bổ sung theo quyết định của giám đốc"
        form.save().action_confirm()
        self.assertEqual((self.line_lan.amount, self.line_lan.amount_computed), (3_000_000, 2_500_000))
        self.assertTrue(self.line_lan.is_corrected)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written just before commit
        self.env.invalidate_all()
        messages = self.line_lan.message_ids
        self.assertIn("Thưởng bổ sung theo quyết định của giám đốc", " ".join(messages.mapped("body")))
        self.assertIn(self.pi_admin.partner_id, messages.author_id)
        tracked = messages.sudo().tracking_value_ids.filtered(lambda value: value.field_id.name == "amount")
        self.assertTrue(tracked, [(message.body, message.tracking_value_ids.field_id.mapped("name"))
                                  for message in messages])
        self.assertEqual((tracked.old_value_float, tracked.new_value_float), (2_500_000, 3_000_000))

    def test_a_correction_needs_a_reason(self):
        wizard = self.env["pi.bonus.line.correct"].with_user(self.pi_admin).create({
            "line_id": self.line_lan.id, "amount": 3_000_000, "reason": "   "})
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.line_lan.amount, 2_500_000)

    def test_only_an_administrator_corrects(self):
        for user in (self.consultant_lan, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.line_lan.with_user(user).action_open_correct_wizard()
                with self.assertRaises(AccessError):
                    self.env["pi.bonus.line.correct"].with_user(user).create({
                        "line_id": self.line_lan.id, "amount": 9_000_000, "reason": "Tự sửa"})
        self.assertEqual(self.line_lan.amount, 2_500_000)

    def test_lines_made_at_installation_are_not_made_twice(self):
        active = self.env["pi.investment.contract"].search([("state", "=", "active")])
        before = self.env["pi.bonus.line"].sudo().search_count([])
        _post_init_hook(self.env)
        self.assertEqual(self.env["pi.bonus.line"].sudo().search_count([]), before)
        with_rule = active.filtered(lambda contract: contract.user_id)
        self.assertEqual(self.env["pi.bonus.line"].sudo().search_count([("contract_id", "in", with_rule.ids)]),
                         len(with_rule))
