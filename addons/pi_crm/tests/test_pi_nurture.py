import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.pi_crm.tests.common import PiCrmCommon, ensure_vietnamese

NOW = datetime.datetime(2026, 12, 1, 2, 0)


@tagged("pi_marketing", "pi_nurture")
class TestPiNurture(PiCrmCommon):
    """Leads of Lan and Minh, created 20 days before NOW unless said otherwise:

        due:        old_lan (no interaction), old_minh, called_long_ago (first call 15 days ago)
        never:      young (created 5 days ago), unflagged, won, investor's (member customer),
                    blacklisted, called_lately (old, first call 3 days ago), unassigned
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ensure_vietnamese(cls.env)
        cls.env["crm.lead"].search([("pi_nurture", "=", True)]).pi_nurture = False  # the demo's: out of these tests
        won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        member = cls.env["res.partner"].create({"name": "Đỗ Thị Hoa", "email": "hoa@example.vn",
                                                "user_id": cls.consultant_lan.id})

        def lead(name, email, user=cls.consultant_lan, age=20, **values):
            record = cls.env["crm.lead"].create(dict(
                {"name": name, "contact_name": name, "email_from": email, "user_id": user.id if user else False,
                 "pi_gender": "female", "pi_nurture": True}, **values))
            cls.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s",
                               [NOW - datetime.timedelta(days=age), record.id])
            return record

        cls.old_lan = lead("Trần Thị Mai", "mai@example.vn")
        cls.old_minh = lead("Vũ Thị Thảo", "thao@example.vn", user=cls.consultant_minh)
        cls.called_long_ago = lead("Bùi Thị Lan Anh", "lananh@example.vn", age=40)
        cls.young = lead("Phạm Thu Trang", "trang@example.vn", age=5)
        cls.unflagged = lead("Lê Thị Hà", "ha@example.vn", pi_nurture=False)
        cls.won = lead("Ngô Thị Vân", "van@example.vn", stage_id=won_stage.id)
        cls.investors = lead("Đỗ Thị Hoa", "hoa@example.vn", partner_id=member.id)
        cls.blacklisted = lead("Hồ Thị Yến", "yen@example.vn")
        cls.called_lately = lead("Đặng Thị Ngọc", "ngoc@example.vn", age=40)
        cls.unassigned = lead("Trịnh Thị Hương", "huong@example.vn", user=None)
        cls.env["mail.blacklist"].create({"email": "yen@example.vn"})
        Interaction = cls.env["pi.interaction"]
        Interaction.create({"lead_id": cls.called_long_ago.id, "date": NOW - datetime.timedelta(days=15)})
        Interaction.create({"lead_id": cls.called_lately.id, "date": NOW - datetime.timedelta(days=3)})
        # a live contract (pi_contracts) makes the customer a member: the segment says so
        cls.env.cr.execute("UPDATE res_partner SET pi_segment = 'member' WHERE id = %s", [member.id])
        cls.env.invalidate_all()
        cls.due = cls.old_lan | cls.old_minh | cls.called_long_ago
        cls.template = cls.env.ref("pi_crm.mail_template_nurture")

    def run_job(self, now=NOW, batch_size=500):
        return self.env["pi.nurture"]._cron_send(batch_size=batch_size, now=now)

    def nurture_mails(self, leads=None):
        domain = [("model", "=", "crm.lead"), ("mail_message_id.pi_care_kind", "=", "marketing")]
        if leads is not None:
            domain.append(("res_id", "in", leads.ids))
        return self.env["mail.mail"].search(domain)

    def test_due_leads_get_the_email_once_per_cycle(self):
        self.assertEqual(self.run_job(), 3)
        mails = self.nurture_mails()
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(self.due.ids))
        mail = mails.filtered(lambda mail: mail.res_id == self.old_lan.id)
        self.assertEqual(mail.email_to or mail.recipient_ids.email, "mai@example.vn")
        self.assertIn("Chị Mai", mail.body_html)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(self.old_lan.pi_nurture_date, NOW)
        # its trace: on the lead's timeline, waiting to be sent, opens and clicks tracked
        trace = self.env["mailing.trace"].search([("mail_mail_id", "=", mail.id)])
        self.assertEqual((trace.model, trace.res_id), ("crm.lead", self.old_lan.id))
        line = self.env["pi.timeline"].search([("lead_id", "=", self.old_lan.id), ("kind", "=", "mass_email")])
        self.assertEqual((line.summary, line.status), (mail.subject, "ready"))
        # the same day, and a week later: nothing more
        self.assertEqual(self.run_job(), 0)
        self.assertEqual(self.run_job(now=NOW + datetime.timedelta(days=7)), 0)
        self.assertEqual(len(self.nurture_mails()), 3)
        # a cycle later (14 days, the default): once more each, and the leads that came of age since
        self.assertEqual(self.run_job(now=NOW + datetime.timedelta(days=14)), 5)
        self.assertEqual(len(self.nurture_mails(self.due)), 6)
        self.assertEqual(len(self.nurture_mails(self.young | self.called_lately)), 2)

    def test_only_consenting_customers_when_pi_asks_for_consent(self):
        self.env["ir.config_parameter"].set_param("pi_crm.marketing_requires_consent", "True")
        customer = self.env["res.partner"].create({"name": "Trần Thị Mai", "email": "mai@example.vn"})
        self.old_lan.partner_id = customer
        self.assertEqual(self.run_job(), 0, "no consent recorded: nobody")
        consent = self.env["pi.consent"].create({"partner_id": customer.id, "channel": "email",
                                                 "purpose": "marketing", "source": "website"})
        self.assertEqual(self.run_job(), 1)
        self.assertEqual(self.nurture_mails().mapped("res_id"), self.old_lan.ids)
        consent.action_withdraw()
        self.assertEqual(self.run_job(now=NOW + datetime.timedelta(days=14)), 0)

    def test_settings_change_the_delay_and_the_cycle(self):
        params = self.env["ir.config_parameter"]
        params.set_param("pi_crm.nurture_delay_days", "30")
        self.assertEqual(self.run_job(), 0)  # created 20 days ago, or first called 15 days ago
        params.set_param("pi_crm.nurture_delay_days", "14")
        params.set_param("pi_crm.nurture_cycle_days", "7")
        self.assertEqual(self.run_job(), 3)
        self.assertEqual(self.run_job(now=NOW + datetime.timedelta(days=6)), 0)
        self.assertEqual(self.run_job(now=NOW + datetime.timedelta(days=7)), 3)

    def test_never_for_unflagged_young_won_investing_blacklisted_or_unassigned_leads(self):
        self.run_job()
        # created 5 days ago; created 40 days ago but first called 3 days ago: not yet
        self.assertFalse(self.nurture_mails(self.young | self.called_lately))
        self.run_job(now=NOW + datetime.timedelta(days=14))
        self.run_job(now=NOW + datetime.timedelta(days=28))
        self.assertFalse(self.nurture_mails(
            self.unflagged | self.won | self.investors | self.blacklisted | self.unassigned))

    def test_rendered_with_the_consultant_rights_never_as_superuser(self):
        composers = []
        original = type(self.env["mail.compose.message"])._action_send_mail

        def spy(composer, auto_commit=False):
            composers.append((composer.env.uid, composer.env.su, composer.res_ids))
            return original(composer, auto_commit=auto_commit)

        with patch.object(type(self.env["mail.compose.message"]), "_action_send_mail", spy):
            self.run_job()
        self.assertEqual({(uid, su) for uid, su, _ids in composers},
                         {(self.consultant_lan.id, False), (self.consultant_minh.id, False)})

    def test_only_the_job_sends(self):
        for user in (self.consultant_lan, self.manager, self.pi_admin):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["pi.nurture"].with_user(user)._cron_send(now=NOW)
        self.assertFalse(self.nurture_mails())

    def test_crash_after_some_leads_then_rerun_sends_each_once(self):
        """An exception in the middle of a batch (after Lan's leads, at Minh's) rolls
        the batch back whole, stamps and queued emails together; the rerun sends them."""
        original = type(self.env["mail.compose.message"])._action_send_mail
        calls = []

        def crash_at_second_consultant(composer, auto_commit=False):
            calls.append(composer.env.uid)
            if len(calls) == 2:
                raise RuntimeError("worker crashed")
            return original(composer, auto_commit=auto_commit)

        with patch.object(type(self.env["mail.compose.message"]), "_action_send_mail", crash_at_second_consultant):
            with self.assertRaises(RuntimeError), self.env.cr.savepoint():
                self.run_job()
        self.env.invalidate_all()
        self.assertFalse(self.nurture_mails())
        self.assertFalse(self.due.filtered("pi_nurture_date"))
        self.assertEqual(self.run_job(), 3)
        self.assertEqual(sorted(self.nurture_mails().mapped("res_id")), sorted(self.due.ids))

    def test_worker_killed_between_batches_then_rerun(self):
        """Batches of one: the first batch is committed (the cron commits after each
        call); the worker dies before the next; the rerun sends the rest, never the first again."""
        self.assertEqual(self.run_job(batch_size=1), 1)
        first = self.nurture_mails()
        self.assertEqual(len(first), 1)
        # the second batch dies with the worker: its transaction is lost whole
        with patch.object(type(self.env["pi.nurture"]), "_pi_send", side_effect=SystemExit("killed")):
            with self.assertRaises(SystemExit), self.env.cr.savepoint():
                self.run_job(batch_size=1)
        self.env.invalidate_all()
        self.assertEqual(self.nurture_mails(), first)
        # rerun: the two left, one batch each
        self.assertEqual(self.run_job(batch_size=1) + self.run_job(batch_size=1) + self.run_job(batch_size=1), 2)
        mails = self.nurture_mails()
        self.assertEqual(len(mails), 3)
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(self.due.ids))

    def test_staff_flag_their_own_leads_only(self):
        self.young.with_user(self.consultant_lan).pi_nurture = False
        self.assertFalse(self.young.pi_nurture)
        with self.assertRaises(AccessError):
            self.young.with_user(self.consultant_minh).pi_nurture = True
