import datetime
from collections import Counter
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import format_amount
from odoo.tools.safe_eval import safe_eval

from odoo.addons.pi_contracts.models.pi_investment_statement import PiInvestmentStatement

from .statement_common import MONDAY, WEEK_END, PiStatementCommon


@tagged("pi_contracts")
class TestPiStatementRun(PiStatementCommon):
    def test_name_and_dates_of_a_weekly_run(self):
        run = self.make_run()
        self.assertEqual(run.date_from, datetime.date(2026, 11, 23))
        self.assertEqual(run.name, "Sao kê tuần 23/11/2026 – 29/11/2026")
        self.assertEqual(run.state, "draft")

    def test_name_and_dates_of_a_quarterly_run(self):
        run = self.make_run(datetime.date(2026, 9, 30), "quarterly")
        self.assertEqual(run.date_from, datetime.date(2026, 7, 1))
        self.assertEqual(run.name, "Sao kê quý 3/2026 (01/07/2026 – 30/09/2026)")

    def test_a_quarter_ends_on_a_quarter_end(self):
        with self.assertRaises(ValidationError):
            self.make_run(datetime.date(2026, 11, 29), "quarterly")

    def test_second_run_for_the_same_period_is_refused(self):
        run = self.make_run()
        with self.assertRaises(UserError) as caught:
            # as a manager, who reads Vietnamese
            self.vi(self.Run.with_user(self.manager)).create({"period": "weekly", "date_to": WEEK_END})
        self.assertIn("Đã có đợt sao kê cho kỳ này", str(caught.exception))
        self.assertIn(run.name, str(caught.exception))

    def test_figures_equal_compute_payout(self):
        run = self.make_run()
        with self.mock_mail_gateway():
            run.action_send()
        statement = self.statement_of(self.investor_hung, run)
        self.assertEqual(len(statement.line_ids), 1)
        line = statement.line_ids
        closing = self.contract_lan.compute_payout(WEEK_END)
        opening = self.contract_lan.compute_payout(datetime.date(2026, 11, 22))
        self.assertEqual(line.principal, closing["principal"])
        self.assertEqual(line.value, closing["payout"])
        self.assertEqual(line.profit_to_date, closing["investor_profit"])
        self.assertEqual(line.profit_period, closing["investor_profit"] - opening["investor_profit"])
        self.assertEqual(line.days_to_maturity, (self.contract_lan.date_end - WEEK_END).days)
        navs = self.product.performance_ids.sorted("date")
        self.assertAlmostEqual(line.nav_end, navs.filtered(lambda nav: nav.date <= WEEK_END)[-1].nav_index)
        self.assertAlmostEqual(line.nav_start, navs.filtered(
            lambda nav: nav.date <= datetime.date(2026, 11, 22))[-1].nav_index)
        self.assertEqual(statement.total_value, closing["payout"])

    def test_action_send_twice_sends_once(self):
        run = self.make_run()
        with self.mock_mail_gateway():
            run.action_send()
            run.action_send()
        self.assertEqual(len(self.statements_of(self.investor_hung)), 1)
        self.assertEqual(len(self.email_messages(self.investor_hung)), 1)
        self.assertEqual(len(self.sms_messages(self.investor_hung)), 1)
        self.assertEqual(len(self.sms_messages(self.investor_tuan)), 1)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.sent_count, 2)

    def test_a_crash_halfway_then_a_rerun_sends_each_once(self):
        run = self.make_run()
        with self.mock_mail_gateway(), self.crash_for(self.investor_tuan):
            run.action_send()
        hung, tuan = self.statement_of(self.investor_hung, run), self.statement_of(self.investor_tuan, run)
        self.assertEqual(hung.state, "sent")
        self.assertEqual(tuan.state, "failed")
        self.assertIn("gateway exploded", tuan.failure_reason)
        self.assertFalse(self.sms_messages(self.investor_tuan))
        with self.mock_mail_gateway():
            run.action_send()
        self.assertEqual(tuan.state, "sent")
        self.assertEqual(len(self.sms_messages(self.investor_tuan)), 1)
        self.assertEqual(len(self.email_messages(self.investor_hung)), 1)
        self.assertEqual(len(self.sms_messages(self.investor_hung)), 1)

    def test_cron_makes_the_weekly_run_on_monday_once(self):
        with self.mock_mail_gateway():
            self.Run._cron_send_statements(date_ref=MONDAY)
            self.Run._cron_send_statements(date_ref=MONDAY)
        runs = self.Run.search([("period", "=", "weekly"), ("date_to", "=", WEEK_END)])
        self.assertEqual(len(runs), 1)
        self.assertEqual(runs.state, "done")
        self.assertEqual(len(self.statements_of(self.investor_hung)), 1)
        self.assertEqual(len(self.email_messages(self.investor_hung)), 1)

    def test_cron_makes_nothing_on_another_weekday(self):
        self.Run._cron_send_statements(date_ref=MONDAY + datetime.timedelta(days=3))
        self.assertFalse(self.Run.search([("date_to", "=", WEEK_END)]))

    def test_email_content(self):
        run = self.make_run()
        with self.mock_mail_gateway():
            run.action_send()
        message = self.email_messages(self.investor_hung)
        self.assertEqual(message.subject, "Sao kê tuần 23/11/2026 – 29/11/2026")
        self.assertIn("Anh Hùng", message.body)
        statement = self.statement_of(self.investor_hung, run)
        self.assertIn(self.vi(statement).doc_total_value.replace("\N{NO-BREAK SPACE}", "&nbsp;"), message.body)
        self.assertIn("<table", message.body)
        self.assertEqual(message.attachment_ids, statement.attachment_id)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.attachment_ids, statement.attachment_id)


    def test_messages_are_what_stock_posting_makes(self):
        """The engine computes some of message_post's values once per batch and sets pi_care_kind as the
        message is created: its e-mail and SMS carry what stock's own posting gives the same investor."""
        self.env["ir.config_parameter"].set_param("mail.catchall.domain", "pi.example.vn")
        run = self.make_run()
        with self.mock_mail_gateway():
            run.action_send()
        hung = self.investor_hung
        statement = self.statement_of(hung, run)
        author = self.company.partner_id
        stock_sms = hung.with_context(mail_post_autofollow=False, mail_create_nosubscribe=True)._message_sms(
            "test", partner_ids=hung.ids, sms_pid_to_number={hung.id: hung.phone_sanitized}, author_id=author.id,
            put_in_queue=True)
        stock_email = hung.with_context(mail_post_autofollow=False, mail_create_nosubscribe=True).message_post(
            body="test", message_type="comment", subtype_xmlid="mail.mt_note", partner_ids=hung.ids,
            author_id=author.id, email_from=self.company.email_formatted, force_send=False)
        names = ["author_id", "email_from", "record_alias_domain_id", "record_company_id", "record_name",
                 "subtype_id", "message_type", "partner_ids", "model", "res_id"]
        # the e-mail's reply-to is its template's (none: replies go to its sender); the SMS's is stock's
        for message, stock, extra in ((statement.sms_message_id, stock_sms, ["reply_to"]),
                                      (statement.mail_message_id, stock_email, [])):
            with self.subTest(message_type=message.message_type):
                self.assertEqual(message.pi_care_kind, "statement")
                self.assertEqual(message.read(names + extra, load=None)[0] | {"id": 0},
                                 stock.read(names + extra, load=None)[0] | {"id": 0})
                self.assertEqual(message.notification_ids.mapped(lambda n: (n.res_partner_id, n.notification_type,
                                                                            n.notification_status)),
                                 stock.notification_ids.mapped(lambda n: (n.res_partner_id, n.notification_type,
                                                                          n.notification_status)))
        self.assertTrue(statement.sms_message_id.reply_to)
        self.assertFalse(stock_sms.pi_care_kind)
        with self.assertRaises(ValueError):  # nobody else sets it through message_post
            hung.message_post(body="x", pi_care_kind="statement")


@tagged("pi_contracts")
class TestPiStatementCron(PiStatementCommon):
    def test_cron_works_in_batches_and_reports_its_progress(self):
        progress = self.env["ir.cron.progress"].create({"cron_id": self.env.ref(
            "pi_contracts.ir_cron_pi_statement_send").id, "remaining": 0, "done": 0})
        Run = self.Run.with_context(ir_cron_progress_id=progress.id)
        with self.mock_mail_gateway():
            self.assertEqual(Run._cron_send_statements(batch_size=1, date_ref=MONDAY), (1, 1))
            self.assertRecordValues(progress, [{"done": 1, "remaining": 1}])
            run = self.Run.search([("date_to", "=", WEEK_END)])
            self.assertEqual(run.state, "sending")
            # the worker commits and calls again: the next investor, never the first one again
            self.assertEqual(Run._cron_send_statements(batch_size=1, date_ref=MONDAY), (1, 0))
            self.assertEqual(Run._cron_send_statements(batch_size=1, date_ref=MONDAY), (0, 0))
        self.assertEqual(run.state, "done")
        self.assertEqual(run.sent_count, 2)
        self.assertEqual(len(self.email_messages(self.investor_hung)), 1)
        self.assertEqual(len(self.sms_messages(self.investor_tuan)), 1)

    def test_cron_retries_a_failed_statement_later_not_in_a_loop(self):
        run = self.make_run()
        with self.mock_mail_gateway(), self.crash_for(self.investor_tuan):
            done, remaining = self.Run._cron_send_statements(date_ref=MONDAY)
            self.assertEqual((done, remaining), (2, 0))  # the failed one does not keep the worker busy
            self.assertEqual(self.Run._cron_send_statements(date_ref=MONDAY), (0, 0))  # within the hour
        tuan = self.statement_of(self.investor_tuan, run)
        self.assertEqual((tuan.state, tuan.attempt_count), ("failed", 1))
        self.env.cr.execute("UPDATE pi_investment_statement SET attempt_date = attempt_date - interval '2 hours' "
                            "WHERE id = %s", [tuan.id])
        tuan.invalidate_recordset()
        with self.mock_mail_gateway():
            self.assertEqual(self.Run._cron_send_statements(date_ref=MONDAY), (1, 0))
        self.assertEqual(tuan.state, "sent")
        self.assertEqual(len(self.sms_messages(self.investor_tuan)), 1)

    def test_templates_hold_placeholders_only(self):
        for xmlid in ("pi_contracts.mail_template_investment_statement",
                      "pi_contracts.sms_template_investment_statement"):
            for lang in ("en_US", "vi_VN"):
                template = self.env.ref(xmlid).with_context(lang=lang)
                self.assertFalse(template._has_unsafe_expression(), f"{xmlid} {lang}")

    def test_manager_edits_the_templates_with_placeholders_not_code(self):
        sms = self.vi(self.env.ref("pi_contracts.sms_template_investment_statement").with_user(self.manager))
        sms.write({"body": "{{ object.doc_salutation }}: {{ object.doc_sms_value }}"})
        with self.assertRaises(AccessError):
            sms.write({"body": "{{ object.partner_id.user_id.sudo().password }}"})
        mail = self.vi(self.env.ref("pi_contracts.mail_template_investment_statement").with_user(self.manager))
        mail.write({"subject": "Sao kê {{ object.doc_period }}"})
        with self.assertRaises(AccessError):
            mail.write({"body_html": '<p t-out="object.env.user.sudo().password">x</p>'})
        run = self.make_run()
        with self.mock_mail_gateway():
            run.with_user(self.manager).action_send()
        self.assertEqual(self.email_messages(self.investor_hung).subject, "Sao kê 23/11/2026 – 29/11/2026")

    def test_managers_find_pis_sms_templates_in_their_menu(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("pi_crm.pi_sms_template_action")
        templates = self.env["sms.template"].with_user(self.manager).search(safe_eval(action["domain"]))
        self.assertIn(self.env.ref("pi_contracts.sms_template_investment_statement"), templates)
        self.assertIn(self.env.ref("pi_crm.sms_template_greeting_birthday"), templates)
        menu = self.env.ref("pi_crm.pi_sms_template_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.consultant_lan)._visible_menu_ids())

    def test_a_big_run_goes_on_in_the_background(self):
        """The button sends its batch and leaves the rest to the job, started at once."""
        self.env["ir.config_parameter"].set_param("pi_contracts.statement_action_batch", "1")
        cron = self.env.ref("pi_contracts.ir_cron_pi_statement_send")
        run = self.make_run()
        with self.mock_mail_gateway():
            action = run.with_user(self.manager).action_send()
        self.assertIn("1", action["params"]["message"])
        self.assertEqual((run.sent_count, run.state), (1, "sending"))
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        with self.mock_mail_gateway():
            self.Run._cron_send_statements(date_ref=MONDAY)
        self.assertEqual((run.sent_count, run.state), (2, "done"))

    def test_manager_cannot_re_aim_the_sms_template(self):
        sms = self.env.ref("pi_contracts.sms_template_investment_statement").with_user(self.manager)
        with self.assertRaises(AccessError):
            sms.write({"model_id": self.env.ref("base.model_res_partner").id})
        self.assertEqual(sms.model, "pi.investment.statement")


@tagged("pi_contracts")
class TestPiStatementAmounts(PiStatementCommon):
    """The statement prints its figures with one formatter per currency and
    language: the very strings of stock's ``format_amount``."""

    AMOUNTS = (0, None, False, 1, -1, 0.5, 1.5, 2.5, -2.5, 999, 1000, -1000, 12345.678, 1500000000,
               -1650000000.49, 987654321987.5, 1e-9, 0.005, 0.015, -0.004)

    def test_formatter_prints_what_format_amount_prints(self):
        usd = self.env.ref("base.USD")
        eur = self.env.ref("base.EUR")
        self.assertEqual(usd.position, "before")
        self.assertEqual(eur.position, "after")
        for lang in ("vi_VN", "en_US"):
            env = self.Statement.with_context(lang=lang).env
            for currency in (self.env.ref("base.VND"), usd, eur):
                amount = self.Statement.with_env(env)._amount_formatter(currency)
                for value in self.AMOUNTS:
                    with self.subTest(lang=lang, currency=currency.name, value=value):
                        self.assertEqual(amount(value), format_amount(env, value or 0, currency))

    def test_statement_texts_are_format_amount_strings(self):
        run = self.make_run()
        with self.mock_mail_gateway():
            run.action_send()
        statement = self.vi(self.statement_of(self.investor_hung, run))
        env = statement.env
        self.assertTrue(statement.total_value)
        for key in ("principal", "value", "profit_to_date", "profit_period"):
            expected = format_amount(env, statement[f"total_{key}"], statement.currency_id)
            self.assertEqual(statement[f"doc_total_{key}"], expected)
            self.assertIn(f"<strong>{expected}</strong>", statement.doc_lines_table)
            for line in statement.line_ids:
                self.assertIn(f">{format_amount(env, line[key], statement.currency_id)}</td>",
                              statement.doc_lines_table)

    def test_texts_are_computed_once_per_statement(self):
        """The PDF, the e-mail and the SMS share one computation of the texts,
        in the investor's language, whatever the sender's."""
        calls = Counter()
        table = PiInvestmentStatement._lines_table_html

        def lines_table_html(statement, *args, **kwargs):
            calls[statement.id] += 1
            return table(statement, *args, **kwargs)

        run = self.make_run()
        with self.mock_mail_gateway(), patch.object(PiInvestmentStatement, "_lines_table_html",
                                                    lines_table_html):
            self.env.invalidate_all()
            run.with_context(lang="en_US").action_send()
        sent = run.statement_ids.filtered(lambda statement: statement.state == "sent")
        self.assertTrue(sent)
        self.assertEqual(set(calls), set(sent.ids))
        self.assertEqual(set(calls.values()), {1})
        for statement in sent:
            self.assertEqual(statement.with_context(lang="en_US").doc_lang, statement.partner_id.lang or "vi_VN")

    def test_pdf_texts_are_in_the_investors_language_whoever_sends(self):
        run = self.make_run()
        with self.mock_mail_gateway():
            run.with_context(lang="en_US").action_send()
        statement = self.statement_of(self.investor_hung, run)
        self.assertEqual(statement.doc_lang, "vi_VN")
        # the tests get the report's HTML rather than the PDF (stock's test mode)
        document = statement.attachment_id.raw.decode()
        self.assertIn(self.vi(statement).doc_title, document)
        self.assertNotIn(statement.with_context(lang="en_US").doc_title, document)
