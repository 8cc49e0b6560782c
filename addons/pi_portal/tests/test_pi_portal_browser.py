import datetime
import logging
import os
import tempfile

from odoo.tests import tagged

from odoo.addons.pi_contracts.tests.browser import (
    CHROMIUM,
    let_requests_finish,
    sync_playwright,
    unlimited_address_space,
)

from .common import PiPortalHttpCommon

_logger = logging.getLogger(__name__)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def screenshot_dir():
    path = os.environ.get("PI_SCREENSHOT_DIR") or os.path.join(tempfile.gettempdir(), "pi_portal_screenshots")
    os.makedirs(path, exist_ok=True)
    return path


@tagged("post_install", "-at_install", "pi_portal")
class TestPortalBrowser(PiPortalHttpCommon):
    """The demo investor in a real headless Chromium, at phone width."""

    browser_size = "375x812"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sent_statement = cls.new_statement(cls.investor_a, cls.contract_a, datetime.date(2026, 11, 15))

    def test_tour_demo_investor_on_a_phone(self):
        """Odoo's tour runner: home card → list → contract → renewal request."""
        demo_user = self.env.ref("pi_portal.user_investor_hung_demo", raise_if_not_found=False)
        if not demo_user:
            self.skipTest("demo data not installed")
        self.start_tour("/my", "pi_portal_investor_tour", login="nha_dau_tu")
        portal_request = self.env["pi.portal.request"].search([("partner_id", "=", demo_user.partner_id.id)])
        self.assertEqual(portal_request.kind, "renew")
        self.assertEqual(portal_request.note, "Xin gọi tôi buổi sáng")

    def test_playwright_list_contract_pdf_and_screenshots(self):
        """Playwright drives Debian's Chromium: log in, list, contract, PDF download, screenshots."""
        if sync_playwright is None or not os.path.exists(CHROMIUM):
            self.skipTest("playwright or /usr/bin/chromium missing")
        folder = screenshot_dir()
        base = self.base_url()
        self.cr.flush()
        shots = []
        with unlimited_address_space():
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                context = browser.new_context(viewport=viewport, accept_downloads=True, locale="vi-VN")
                page = context.new_page()
                page.goto(f"{base}/web/login")
                page.fill("input[name=login]", "pp_hung")
                page.fill("input[name=password]", "pp_hung")
                page.click("button[type=submit]")
                try:
                    page.wait_for_selector("a[href='/my/investments']", state="attached")
                except Exception:
                    self._shot(page, folder, f"{name}_login_failed")
                    raise
                page.goto(f"{base}/my/investments")
                self.assertIn(self.contract_a.name, page.content())
                self.assertNotIn(self.contract_b.name, page.content())
                shots.append(self._shot(page, folder, f"{name}_investments"))
                if name == "phone":
                    page.click(".pi_portal_card")
                else:
                    page.click(f"a:text('{self.contract_a.name}')")
                page.wait_for_selector(".pi_contract_value")
                self.assertIn("₫", page.inner_text(".pi_contract_value"))
                shots.append(self._fits_and_shot(page, viewport, folder, f"{name}_contract"))
                path, content = self._download(page, ".pi_download_contract", folder, name)
                self.assertIn(self.contract_a.name.encode(), content)
                _logger.info("Contract document downloaded in the browser: %s", path)
                # The statements, in Vietnamese, and the PDF of the newest one.
                page.goto(f"{base}/my/statements")
                page.wait_for_selector(".pi_statement_card")
                text = page.inner_text("main")
                for words in ("Sao kê tuần", "09/11/2026 – 15/11/2026", "Giá trị cuối kỳ", "Lợi nhuận trong kỳ",
                              "Cách nhận sao kê", "Hàng tuần"):
                    self.assertIn(words, text)
                self.assertIn("₫", page.inner_text(".pi_statement_value"))
                shots.append(self._fits_and_shot(page, viewport, folder, f"{name}_statements"))
                path, content = self._download(page, ".pi_download_statement", folder, name)
                self.assertTrue(os.path.basename(path).startswith(f"{name}_Sao kê"), path)
                self.assertEqual(content, self.sent_statement.attachment_id.raw)
                let_requests_finish(page)
                context.close()
        finally:
            browser.close()
            playwright.stop()
        _logger.info("Portal screenshots (375 px phone and desktop) written to %s: %s", folder, ", ".join(shots))

    def _fits_and_shot(self, page, viewport, folder, name):
        """The page needs no sideways scrolling at ``viewport``'s width; its screenshot's path."""
        width = page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, viewport["width"], f"{name}: no sideways scrolling")
        return self._shot(page, folder, name)

    @staticmethod
    def _download(page, selector, folder, prefix):
        """Click ``selector``, save what the browser downloads in ``folder``: ``(path, bytes)``."""
        with page.expect_download() as download_info:
            page.click(selector)
        download = download_info.value
        path = os.path.join(folder, f"{prefix}_{download.suggested_filename}")
        download.save_as(path)
        with open(path, "rb") as document:
            return path, document.read()

    @staticmethod
    def _shot(page, folder, name):
        path = os.path.join(folder, f"pi_portal_{name}.png")
        page.screenshot(path=path, full_page=True)
        return path
