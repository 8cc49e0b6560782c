import datetime
import html
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.translate import code_translations

from odoo.addons.mail.wizard.mail_activity_schedule import MailActivitySchedule

from .common import PiContractsCommon

CALL = "mail.mail_activity_data_call"


@tagged("pi_contracts")
class TestPiContractCarePlan(PiContractsCommon):
    """The care plan's calls live as long as their contract, and none starts overdue."""

    def _calls(self, contract):
        return contract.activity_ids.filtered(lambda act: act.activity_type_id == self.env.ref(CALL))

    def _seen(self, activities):
        """What the consultant sees of each activity: summary, deadline, assignee."""
        return sorted((act.summary, act.date_deadline, act.user_id) for act in activities)

    def _planned(self, contract, user, templates=None):
        """The plan's calls dated from the contract's start, as the plan defines them."""
        templates = templates or contract.product_id.activity_plan_id.template_ids
        return sorted((template.summary, contract.date_start + relativedelta(days=template.delay_count),
                       template.responsible_id or user) for template in templates)

    @freeze_time("2026-01-02")
    def test_activation_schedules_the_plan_for_the_consultant_from_the_start_date(self):
        self.contract_lan.with_user(self.consultant_lan).action_activate()
        self.assertEqual(self._seen(self._calls(self.contract_lan)),
                         self._planned(self.contract_lan, self.consultant_lan))
        self.assertEqual(self._calls(self.contract_lan).mapped("date_deadline")[:1], [datetime.date(2026, 1, 6)])

    @freeze_time("2026-01-02")
    def test_a_call_the_plan_assigns_goes_to_that_user(self):
        self.plan.template_ids[-1:].write({"responsible_type": "other", "responsible_id": self.manager.id})
        self.contract_lan.with_user(self.consultant_lan).action_activate()
        seen = self._seen(self._calls(self.contract_lan))
        self.assertEqual(seen, self._planned(self.contract_lan, self.consultant_lan))
        self.assertIn(("Call day 90", datetime.date(2026, 4, 1), self.manager), seen)

    @freeze_time("2026-01-02")
    def test_launched_through_the_stock_plan_wizard(self):
        launched = []
        original = MailActivitySchedule.action_schedule_plan

        def spy(wizard):
            launched.append((wizard.plan_id, wizard.plan_date, wizard.plan_on_demand_user_id))
            return original(wizard)

        with patch.object(MailActivitySchedule, "action_schedule_plan", spy):
            self.contract_lan.with_user(self.consultant_lan).action_activate()
        self.assertEqual(launched, [(self.plan, self.start, self.consultant_lan)])

    @freeze_time("2026-01-25")
    def test_activation_with_a_past_start_date_schedules_no_overdue_call(self):
        self.contract_lan.with_user(self.consultant_lan).action_activate()
        calls = self._calls(self.contract_lan)
        day_90 = self.plan.template_ids.filtered(lambda template: template.delay_count == 90)
        self.assertEqual(self._seen(calls), self._planned(self.contract_lan, self.consultant_lan, day_90),
                         "day 5 and day 20 are past")
        self.assertEqual(calls.date_deadline, datetime.date(2026, 4, 1))
        note = self.contract_lan.message_ids[:1].body
        self.assertIn("Call day 5", note)
        self.assertIn("Call day 20", note)
        self.assertNotIn("Call day 90", note)

    @freeze_time("2026-01-02")
    def test_settling_cancels_the_open_calls(self):
        self.contract_lan.action_activate()
        self.assertEqual(len(self._calls(self.contract_lan)), 3)
        wizard = self.env["pi.contract.settle"].with_user(self.consultant_lan).create({
            "contract_id": self.contract_lan.id, "date_settle": datetime.date(2026, 1, 2), "template_id": False})
        wizard.action_confirm()
        self.assertFalse(self.contract_lan.activity_ids)
        self.assertIn("Call day 90", self.contract_lan.message_ids[:2].mapped("body")[1] +
                      self.contract_lan.message_ids[:2].mapped("body")[0])

    @freeze_time("2026-01-02")
    def test_renewing_moves_the_care_plan_to_the_new_contract(self):
        self.contract_lan.action_activate()
        wizard = self.env["pi.contract.renew"].with_user(self.consultant_lan).create({
            "contract_id": self.contract_lan.id, "date_start": datetime.date(2026, 1, 2)})
        new = self.env["pi.investment.contract"].browse(wizard.action_confirm()["res_id"])
        self.assertFalse(self.contract_lan.activity_ids)
        self.assertEqual(len(self._calls(new)), 3)

    @freeze_time("2026-01-02")
    def test_cancelling_cancels_the_open_calls(self):
        self.contract_lan.action_activate()
        self.contract_lan.with_user(self.pi_admin).action_cancel()
        self.assertFalse(self.contract_lan.activity_ids)


@tagged("pi_contracts")
class TestPiContractConsultantLanguage(PiContractsCommon):
    """What the cron (OdooBot, English) writes for a consultant reads in their language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant_lan.lang = "vi_VN"
        cls.manager.lang = "en_US"

    @freeze_time("2026-01-02")
    def test_care_plan_note_in_the_consultants_language_and_date_format(self):
        self.contract_lan.with_context(lang="en_US").action_activate()
        note = str(self.contract_lan.message_ids.filtered(lambda msg: "Care" in (msg.body or ""))[:1].body)
        # Stock's wording of a launched plan, in Vietnamese (the mail module's translation).
        stock = code_translations.get_python_translations("mail", "vi_VN")
        started = stock['The plan "%(plan_name)s" has been started'] % {"plan_name": self.plan.name}
        line = stock["%(activity)s, assigned to %(name)s, due on the %(deadline)s"] % {
            "activity": "Call day 5", "name": self.consultant_lan.name, "deadline": "06/01/2026"}
        self.assertIn(started, html.unescape(note))
        self.assertIn(line, html.unescape(note), "5 days after 01/01/2026, as dd/mm/yyyy")

    def test_expiry_todo_in_the_consultants_language(self):
        self.contract_lan.action_activate()
        self.env["pi.investment.contract"].search(
            [("id", "!=", self.contract_lan.id), ("state", "=", "active")]).action_cancel()
        self.env["pi.investment.contract"].with_context(lang="en_US")._cron_process_expiry(
            date_ref=datetime.date(2026, 12, 2))
        todo = self.contract_lan.activity_ids.filtered(
            lambda act: act.activity_type_id == self.env.ref("mail.mail_activity_data_todo"))
        self.assertEqual(todo.summary, f"Hợp đồng {self.contract_lan.name} hết hạn sau 30 ngày")
        self.assertIn("Gọi cho", str(todo.note))
        # One email per language: Lan's in Vietnamese, the English-speaking manager's apart.
        mails = self.env["mail.mail"].search([("model", "=", self.contract_lan._name),
                                              ("res_id", "=", self.contract_lan.id)])
        by_recipient = {partner: mail for mail in mails for partner in mail.recipient_ids}
        self.assertNotEqual(by_recipient[self.consultant_lan.partner_id], by_recipient[self.manager.partner_id])
