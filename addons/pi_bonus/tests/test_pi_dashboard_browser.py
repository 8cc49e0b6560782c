import os

from odoo.tests import HttpCase, tagged

from odoo.addons.pi_contracts.tests.browser import (
    CHROMIUM,
    let_requests_finish,
    sync_playwright,
    unlimited_address_space,
)

from .kpi_common import PiKpiCommon
from .test_pi_task_browser import TIMEOUT_MS, screenshot_dir

VIEWPORTS = {"laptop": {"width": 1366, "height": 800}, "phone": {"width": 375, "height": 812}}


@tagged("post_install", "-at_install", "pi_bonus", "pi_kpi")
class TestPiDashboardBrowser(PiKpiCommon, HttpCase):
    """The manager's dashboard and the consultant's home load in Debian's Chromium, in
    Vietnamese, at laptop and phone widths (screenshots pi_dashboard_*.png); a card opens its list."""

    def _walk(self, login, action_xmlid, name):
        if sync_playwright is None or not os.path.exists(CHROMIUM):
            self.skipTest("playwright or /usr/bin/chromium missing")
        self.cr.flush()
        action_id = self.env.ref(action_xmlid).id
        seen = {}
        with unlimited_address_space():
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for size, viewport in VIEWPORTS.items():
                page = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(f"{self.base_url()}/web/login")
                page.fill("input[name=login]", login)
                page.fill("input[name=password]", login)  # new_test_user: password = login
                page.click("button[type=submit]")
                page.wait_for_selector(".o_main_navbar")
                page.goto(f"{self.base_url()}/odoo/action-{action_id}")
                page.wait_for_selector(".o_pi_dashboard_card")
                page.screenshot(path=os.path.join(screenshot_dir(), f"pi_dashboard_{name}_{size}.png"), full_page=True)
                seen[size] = {
                    "text": page.inner_text(".o_pi_dashboard"),
                    "cards": page.locator(".o_pi_dashboard_card").count(),
                    "overflow": page.evaluate("document.querySelector('.o_pi_dashboard').scrollWidth"
                                              " > document.querySelector('.o_pi_dashboard').clientWidth + 1"),
                }
                if size == "laptop":
                    page.click(".o_pi_dashboard_card >> nth=0")
                    page.wait_for_selector(".o_list_view, .o_kanban_view")
                    seen["opened"] = page.inner_text(".o_breadcrumb")
                let_requests_finish(page)
                page.context.close()
        finally:
            browser.close()
            playwright.stop()
        return seen

    def test_manager_dashboard_laptop_and_phone(self):
        seen = self._walk(self.manager.login, "pi_bonus.action_pi_manager_dashboard", "manager")
        for size in VIEWPORTS:
            self.assertEqual(seen[size]["cards"], 7, size)
            self.assertIn("Khách hàng đang đầu tư", seen[size]["text"])
            self.assertIn("KPI tháng này", seen[size]["text"])
            self.assertFalse(seen[size]["overflow"], f"{size}: nothing wider than the screen")
        self.assertIn("Khách hàng đang đầu tư", seen["opened"])

    def test_consultant_home_laptop_and_phone(self):
        seen = self._walk(self.consultant_lan.login, "pi_bonus.action_pi_consultant_home", "consultant")
        for size in VIEWPORTS:
            self.assertEqual(seen[size]["cards"], 6, size)
            self.assertIn("Khách hàng chờ tư vấn", seen[size]["text"])
            self.assertNotIn(self.consultant_minh.name, seen[size]["text"])
        self.assertIn("Khách hàng chờ tư vấn", seen["opened"])
