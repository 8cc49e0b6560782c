import datetime
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.pi_contracts.models.pi_investment_contract import PiInvestmentContract

from .common import PiContractsCommon

END = datetime.date(2027, 1, 1)


@tagged("pi_contracts")
class TestPiContractExpiry(PiContractsCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activate_fixture_contracts_only()
        cls.contract_lan.company_id.email = "hopdong@pi.example.vn"
        cls.Contract = cls.env["pi.investment.contract"]
        cls.Notice = cls.env["pi.contract.expiry.notice"]

    def _run_cron(self, day):
        """The expiry cron on ``day``, then the outgoing queue as the mail cron sends it."""
        with self.mock_mail_gateway():
            self.Contract._cron_process_expiry(date_ref=day)
            self.env["mail.mail"].sudo().process_email_queue()

    def _assert_notice_sent(self, contract, days_left):
        """The notice's e-mail went out, from the company, to the consultant and the manager."""
        recipients = (contract.user_id | self.manager).partner_id
        mail = self.assertMailMail(recipients, "sent",
                                   email_values={"email_from": contract.company_id.email_formatted})
        self.assertEqual(mail.model, contract._name)
        self.assertEqual(mail.res_id, contract.id)
        self.assertIn(contract.name, mail.subject)
        self.assertIn(f"{days_left} ngày", mail.subject)
        self.assertIn(self.vi(contract).doc_date_end, mail.body_html)
        return mail

    def _notice_mails(self, contract):
        """The notices' e-mails (the To-Do's assignment e-mail goes to the consultant alone)."""
        return self.env["mail.mail"].search([("model", "=", contract._name), ("res_id", "=", contract.id),
                                             ("recipient_ids", "in", self.manager.partner_id.ids)])

    def _todos(self, contract):
        return contract.activity_ids.filtered(
            lambda act: act.activity_type_id == self.env.ref("mail.mail_activity_data_todo"))

    def test_each_notice_goes_once_even_when_cron_runs_twice(self):
        day_30 = END - datetime.timedelta(days=30)
        self._run_cron(day_30)
        self._assert_notice_sent(self.contract_lan, 30)
        self._run_cron(day_30)
        self.assertNoMail(self.contract_lan.user_id.partner_id)
        self._run_cron(day_30 + datetime.timedelta(days=1))
        self.assertNoMail(self.contract_lan.user_id.partner_id)
        notices = self.Notice.search([("contract_id", "=", self.contract_lan.id)])
        self.assertEqual(notices.mapped("days_before"), [30])
        self.assertEqual(len(self._notice_mails(self.contract_lan)), 1)
        self.assertEqual(len(self._todos(self.contract_lan)), 1)
        self.assertEqual(self._todos(self.contract_lan).user_id, self.consultant_lan)

        day_7 = END - datetime.timedelta(days=7)
        self._run_cron(day_7)
        self._assert_notice_sent(self.contract_lan, 7)
        self._run_cron(day_7)
        self.assertNoMail(self.contract_lan.user_id.partner_id)
        notices = self.Notice.search([("contract_id", "=", self.contract_lan.id)])
        self.assertEqual(sorted(notices.mapped("days_before")), [7, 30])
        self.assertEqual(len(self._notice_mails(self.contract_lan)), 2)
        self.assertEqual(len(self._todos(self.contract_lan)), 2)

    def test_thresholds_come_from_the_setting(self):
        self.policy.with_user(self.pi_admin).expiry_threshold_ids = self.env["pi.contract.expiry.threshold"].create(
            {"days": 60})
        self.assertEqual(self.env["pi.financial.policy"]._get_notice_days(), (60,))
        self._run_cron(END - datetime.timedelta(days=45))
        self.assertEqual(self.Notice.search([("contract_id", "=", self.contract_lan.id)]).days_before, 60)
        self._assert_notice_sent(self.contract_lan, 45)

    def test_batches_report_what_remains(self):
        done, remaining = self.Contract._cron_process_expiry(batch_size=1, date_ref=END - datetime.timedelta(days=3))
        self.assertEqual((done, remaining), (1, 1))
        done, remaining = self.Contract._cron_process_expiry(batch_size=1, date_ref=END - datetime.timedelta(days=3))
        self.assertEqual((done, remaining), (1, 0))

    def test_a_failing_contract_is_stamped_and_does_not_stop_the_batch(self):
        original = PiInvestmentContract._send_one_expiry_notice
        lan_id = self.contract_lan.id

        def flaky(contract, *args, **kwargs):
            if contract.id == lan_id:
                raise ValueError("mail server down")
            return original(contract, *args, **kwargs)

        with patch.object(PiInvestmentContract, "_send_one_expiry_notice", flaky), \
                self.assertLogs("odoo.addons.pi_contracts.models.pi_investment_contract", level="ERROR"):
            self.Contract._cron_process_expiry(date_ref=END - datetime.timedelta(days=7))
        lan_notice = self.Notice.search([("contract_id", "=", lan_id)])
        self.assertEqual(lan_notice.state, "failed")
        self.assertFalse(self._todos(self.contract_lan), "the failed contract's work was rolled back")
        self.assertEqual(self.Notice.search([("contract_id", "=", self.contract_minh.id)]).state, "sent")
        _done, remaining = self.Contract._cron_process_expiry(date_ref=END - datetime.timedelta(days=7))
        self.assertEqual(remaining, 0, "a failed contract is not retried forever")
