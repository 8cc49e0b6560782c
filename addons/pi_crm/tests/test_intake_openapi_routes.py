import yaml

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

from odoo.addons.pi_crm.controllers.intake import KEY_HEADER, PiIntakeController
from odoo.addons.pi_crm.models.pi_integration_key import DEFAULT_RATE_LIMIT

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@tagged("post_install", "-at_install", "pi_intake")
class TestIntakeOpenApiRoutes(TransactionCase):
    """The OpenAPI file describes the routes this server really serves: read
    from the routing map Odoo builds from the installed controllers'
    ``@http.route`` decorators, not from the controller's text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with open(file_path("pi_crm/static/openapi/pi_intake_v1.yaml"), encoding="utf-8") as handle:
            cls.spec = yaml.safe_load(handle)

    def intake_rules(self):
        """The rules of the routing map served by the intake controller (or an extension of it)."""
        # An endpoint is the bound method of the controller (a partial of it).
        return [
            rule for rule in self.env["ir.http"].routing_map().iter_rules()
            if isinstance(getattr(getattr(rule.endpoint, "func", None), "__self__", None), PiIntakeController)
        ]

    def test_documented_paths_and_methods_are_the_served_routes(self):
        served = {}
        for rule in self.intake_rules():
            # Odoo adds OPTIONS to every route with methods (CORS preflight)
            served.setdefault(rule.rule, set()).update(method.lower() for method in rule.methods - {"OPTIONS"})
        documented = {
            path: {method for method in item if method in HTTP_METHODS} for path, item in self.spec["paths"].items()
        }
        self.assertTrue(served, "the intake controller serves routes")
        self.assertEqual(served, documented)

    def test_served_routes_take_the_key_not_a_session(self):
        """Each route is public (the key is checked by the controller), without
        CSRF token or session, and reads its body itself within the limit."""
        for rule in self.intake_rules():
            routing = rule.endpoint.routing
            with self.subTest(route=rule.rule):
                self.assertEqual((routing["type"], routing["auth"]), ("http", "public"))
                self.assertFalse(routing["csrf"])
                self.assertFalse(routing["save_session"])
                self.assertTrue(callable(routing["max_content_length"]))
                security = self.spec["paths"][rule.rule]["post"].get("security", self.spec.get("security"))
                self.assertEqual(security, [{"integrationKey": []}])
        scheme = self.spec["components"]["securitySchemes"]["integrationKey"]
        self.assertEqual((scheme["type"], scheme["in"]), ("apiKey", "header"))
        self.assertEqual(scheme["name"], KEY_HEADER)

    def test_documented_default_rate_limit_is_the_keys(self):
        key = self.env["pi.integration.key"].create({"name": "Website", "kind": "website"})
        self.env["ir.config_parameter"].set_param("pi_crm.intake_rate_limit", "")
        self.assertEqual(key._get_rate_limit(), DEFAULT_RATE_LIMIT)
        description = " ".join(self.spec["components"]["responses"]["RateLimited"]["description"].split())
        self.assertIn(f"{DEFAULT_RATE_LIMIT} calls per minute", description)
