"""Debian's Chromium driven by Playwright, for the browser tests of PI's addons."""

import contextlib
import resource

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the tests that need it skip themselves
    sync_playwright = None

__all__ = ["CHROMIUM", "sync_playwright", "unlimited_address_space"]

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
