import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_path

# Per operation: the run takes about a minute on a busy 2-core machine, most
# of it drawing values for the file's patterns and the coverage phase's fixed
# boundary cases (null, empty, too long, wrong type… field by field).
MAX_EXAMPLES = int(os.environ.get("PI_SCHEMATHESIS_EXAMPLES", "20"))
SEED = os.environ.get("PI_SCHEMATHESIS_SEED", "20261201")
TIMEOUT = 300
CONFIG = """
[[operations]]
include-path = "/pi/api/v1/leads"
headers = { "X-PI-Key" = "${PI_WEBSITE_KEY}" }

[[operations]]
include-path = "/pi/api/v1/pbx/incoming"
headers = { "X-PI-Key" = "${PI_PBX_KEY}" }
"""


@tagged("post_install", "-at_install", "pi_intake", "pi_schemathesis")
class TestIntakeOpenApiConformance(HttpCase):
    """schemathesis, a standard OpenAPI test client, against both endpoints of
    this server: every check (no 5xx; statuses, bodies and headers as
    documented; a request the file allows is accepted, one it forbids is
    refused), on generated requests.

    Its CLI runs in a subprocess and talks HTTP to the test server, which
    serves it with the test's transaction: the keys created here exist for
    it, and everything it creates is rolled back with the test.
    ``PI_SCHEMATHESIS_EXAMPLES`` / ``PI_SCHEMATHESIS_SEED`` change the size and
    the draw of a run (the seed is fixed so that a failure can be replayed).
    """

    def test_both_endpoints_agree_with_the_openapi_file(self):
        if not importlib.util.find_spec("schemathesis"):  # requirements-dev.txt, not the addon's
            if os.environ.get("PI_REQUIRE_SCHEMATHESIS"):  # set by tests/run.py
                self.fail("schemathesis is not installed (pip install -r requirements-dev.txt)")
            raise unittest.SkipTest("schemathesis is not installed (requirements-dev.txt)")
        Key = self.env["pi.integration.key"]
        env = dict(os.environ, NO_COLOR="1")
        for kind, variable in (("website", "PI_WEBSITE_KEY"), ("pbx", "PI_PBX_KEY")):
            key = Key.create({"name": f"schemathesis {kind}", "kind": kind, "rate_limit": 100000})
            env[variable] = key._generate_key()
        # The server thread reads the keys from the database: write them there (url_open would).
        self.env.flush_all()
        spec = file_path("pi_crm/static/openapi/pi_intake_v1.yaml")
        with tempfile.TemporaryDirectory(prefix="pi-schemathesis-") as folder:
            config = os.path.join(folder, "schemathesis.toml")
            with open(config, "w", encoding="utf-8") as handle:
                handle.write(CONFIG)
            command = [
                sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
                "--config-file", config, "--no-color", "run", spec, "--url", self.base_url(),
                "--checks", "all", "--max-examples", str(MAX_EXAMPLES), "--seed", SEED, "--workers", "2",
                "--request-timeout", "30", "--generation-database", "none", "--suppress-health-check", "all",
            ]
            started = time.monotonic()
            try:
                run = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                                     check=False)
            except subprocess.TimeoutExpired as error:
                self.fail(f"schemathesis did not finish within {TIMEOUT} s:\n{error.stdout}")
        self._wait_remaining_requests()
        output = run.stdout + run.stderr
        self._logger.info("schemathesis: %.0f s, %s", time.monotonic() - started, output.strip().splitlines()[-1])
        self.assertEqual(run.returncode, 0, f"schemathesis found disagreements with the OpenAPI file:\n{output}")
        self.assertIn("No issues found", output)
        generated = re.search(r"(\d+) generated", output)
        self.assertTrue(generated and int(generated.group(1)) > 2 * MAX_EXAMPLES, output)
