"""Debian's Chromium driven by Playwright, for the browser tests of PI's addons."""

import contextlib
import logging
import resource

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the tests that need it skip themselves
    sync_playwright = None

__all__ = ["CHROMIUM", "let_requests_finish", "sync_playwright", "unlimited_address_space"]

_logger = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"


@contextlib.contextmanager
def unlimited_address_space():
    """Odoo caps its own address space (limit_memory_hard), which Chromium's
    children inherit and die of; lift it while the browser starts, as Odoo's
    own ChromeBrowser does for its child."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def let_requests_finish(page, timeout_ms=5000):
    """Wait until the page's requests are answered before its browser closes.

    A request still running when the test ends (a chatter load after a
    download, say) would be cut off while it holds the test's shared cursor,
    and the tests after it would then fail. Bounded: a page that keeps polling
    only costs the timeout.
    """
    try:
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except Exception:  # pylint: disable=broad-except  # a timeout here is not a test failure
        _logger.info("Requests of %s still running after %s ms", page.url, timeout_ms)
