import datetime
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import pi_user
from .cron_crash import CronCrashMixin


@tagged("pi_job_status", "pi_security")
class TestPiJobStatus(CronCrashMixin, TransactionCase):
    """Every scheduled job's last success, last failure and why, written by the cron runner;
    a job that has not succeeded for longer than 3 times its interval is stuck."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "Khách Thử Tác Vụ"})
        cls.cron = cls.env["ir.cron"].create({
            "name": "PI test: rename a partner", "model_id": cls.env.ref("base.model_res_partner").id,
            "state": "code", "code": f"env['res.partner'].browse({cls.partner.id}).write({{'name': 'Đã chạy'}})",
            "user_id": cls.env.ref("base.user_root").id, "interval_number": 1, "interval_type": "hours",
            "nextcall": fields.Datetime.now()})
        cls.Status = cls.env["pi.job.status"]

    def _set(self, **values):
        """Write status columns as the runner does (plain SQL), e.g. an old last success."""
        status = self.job_status(self.cron)
        for column, value in values.items():
            self.env.cr.execute(f"UPDATE pi_job_status SET {column} = %s WHERE id = %s", (value, status.id))  # noqa: S608
        status.invalidate_recordset()
        return status

    def test_every_job_has_a_status_row_new_ones_too(self):
        crons = self.env["ir.cron"].with_context(active_test=False).search([])
        self.assertEqual(set(self.Status.search([]).cron_id.ids), set(crons.ids))
        status = self.job_status(self.cron)
        self.assertTrue(status)
        self.assertFalse(status.last_success or status.last_failure)
        self.assertFalse(status.is_pi, "a cron without a PI xmlid")
        self.assertTrue(self.job_status(self.env.ref("pi_crm.ir_cron_send_greetings")).is_pi)
        self.assertIn(self.env.ref("pi_crm.ir_cron_send_greetings"), self.Status.search([("is_pi", "=", True)]).cron_id)
        self.assertNotIn(self.cron, self.Status.search([("is_pi", "=", True)]).cron_id)

    def test_success_is_recorded_with_the_work(self):
        self.assertEqual(self.run_as_worker(self.cron), "done")
        status = self.job_status(self.cron)
        self.assertEqual(self.partner.name, "Đã chạy")
        self.assertTrue(status.last_success)
        self.assertGreaterEqual(status.last_duration, 0)
        self.assertFalse(status.last_failure)
        self.assertFalse(status.is_stuck)

    def test_failure_is_recorded_with_its_reason_and_the_work_rolled_back(self):
        self.cron.code = (f"env['res.partner'].browse({self.partner.id}).write({{'name': 'Nửa chừng'}})\n"
                          "raise UserError('Cổng SMS không trả lời')")
        with mute_logger("odoo.addons.pi_crm.models.ir_cron"):
            self.assertEqual(self.run_as_worker(self.cron), "done")
        status = self.job_status(self.cron)
        self.assertEqual(self.partner.name, "Khách Thử Tác Vụ", "the failed run's work was rolled back")
        self.assertTrue(status.last_failure)
        self.assertFalse(status.last_success)
        self.assertIn("UserError: Cổng SMS không trả lời", status.last_error)
        self.assertEqual(self.cron.failure_count, 1)
        # the next success keeps the last failure and its reason on view
        self.cron.code = f"env['res.partner'].browse({self.partner.id}).write({{'name': 'Đã chạy'}})"
        self.run_as_worker(self.cron)
        status.invalidate_recordset()
        self.assertTrue(status.last_success >= status.last_failure)
        self.assertIn("Cổng SMS", status.last_error)

    def test_the_bookkeeping_never_breaks_the_job(self):
        Status = type(self.env["pi.job.status"])
        with patch.object(Status, "_pi_record", side_effect=RuntimeError("status table gone")), \
                mute_logger("odoo.addons.pi_crm.models.ir_cron"):
            self.assertEqual(self.run_as_worker(self.cron), "done")
        self.assertEqual(self.partner.name, "Đã chạy")

    def test_stuck_when_no_success_for_three_intervals(self):
        now = fields.Datetime.now()
        status = self._set(last_success=now - datetime.timedelta(hours=2))
        self.assertFalse(status.is_stuck)
        status = self._set(last_success=now - datetime.timedelta(hours=4), last_failure=now,
                           last_error="Timeout")
        self.assertTrue(status.is_stuck)
        self.assertIn(status, self.Status.search([("is_stuck", "=", True)]))
        self.assertNotIn(status, self.Status.search([("is_stuck", "=", False)]))
        # the factor is a setting
        self.env["ir.config_parameter"].sudo().set_param("pi_crm.job_stuck_factor", "5")
        status.invalidate_recordset()
        self.assertFalse(status.is_stuck)
        self.env["ir.config_parameter"].sudo().set_param("pi_crm.job_stuck_factor", "3")
        # an inactive job is not stuck
        self.cron.active = False
        status.invalidate_recordset()
        self.assertFalse(status.is_stuck)

    def test_never_ran_is_stuck_after_three_intervals(self):
        status = self.job_status(self.cron)
        self.assertFalse(status.is_stuck)
        old = fields.Datetime.now() - datetime.timedelta(hours=5)
        self._set(create_date=old)
        self.env.cr.execute("UPDATE ir_cron SET create_date = %s WHERE id = %s", (old, self.cron.id))
        self.cron.invalidate_recordset()
        self.assertTrue(self.job_status(self.cron).is_stuck)

    def test_admin_only_over_rpc(self):
        status = self._set(last_error="secret traceback")
        users = {role: pi_user(self.env, role, f"job_status_{role}") for role in ("consultant", "manager", "admin")}
        customer = self.env["res.partner"].create({"name": "Nhà Đầu Tư Thử"})
        users["investor"] = pi_user(self.env, "investor", "job_status_investor", partner_id=customer.id)
        users["public"] = self.env.ref("base.public_user")
        for role, user in users.items():
            Status = self.env["pi.job.status"].with_user(user)
            with self.subTest(role=role):
                if role == "admin":
                    self.assertEqual(Status.browse(status.id).read(["last_error"])[0]["last_error"],
                                     "secret traceback")
                    self.assertIn(status, Status.search([]))
                    with self.assertRaises(AccessError):
                        Status.browse(status.id).write({"last_error": "hidden"})
                    with self.assertRaises(AccessError):
                        Status.create({"cron_id": self.cron.id})
                    with self.assertRaises(AccessError):
                        Status.browse(status.id).unlink()
                    continue
                with self.assertRaises(AccessError):
                    Status.search_read([], ["last_error"])
                with self.assertRaises(AccessError):
                    Status.browse(status.id).read(["last_error", "is_stuck"])
                with self.assertRaises(AccessError):
                    Status.browse(status.id).action_open_cron()


@tagged("post_install", "-at_install", "pi_job_status", "pi_security")
class TestPiJobStatusHttp(HttpCase):
    def test_list_refused_over_json_rpc_to_a_manager(self):
        pi_user(self.env, "manager", "job_status_http_manager")
        self.authenticate("job_status_http_manager", "job_status_http_manager")
        with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
            self.make_jsonrpc_request("/web/dataset/call_kw/pi.job.status/web_search_read", {
                "model": "pi.job.status", "method": "web_search_read", "args": [],
                "kwargs": {"domain": [], "specification": {"last_error": {}}}})
        self.assertIn("AccessError", str(caught.exception))

    def test_admin_opens_the_list(self):
        pi_user(self.env, "admin", "job_status_http_admin")
        self.authenticate("job_status_http_admin", "job_status_http_admin")
        result = self.make_jsonrpc_request("/web/dataset/call_kw/pi.job.status/web_search_read", {
            "model": "pi.job.status", "method": "web_search_read", "args": [],
            "kwargs": {"domain": [("is_pi", "=", True)], "specification": {
                "cron_name": {}, "last_success": {}, "last_failure": {}, "last_error": {}, "is_stuck": {}}}})
        names = [record["cron_name"] for record in result["records"]]
        self.assertIn(self.env.ref("pi_crm.ir_cron_send_greetings").cron_name, names)
