from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged, users
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PiCrmCommon, pi_user

# PI fields an investor may read on their own partner: their personal data (a
# company's founding date as a person's birthdate).
# Every other field pi_crm adds on partners and leads is internal (ratings,
# ranking, history, duplicates) and must carry groups="base.group_user".
PERSONAL_FIELDS = {"pi_gender", "pi_birthdate", "pi_salutation", "pi_phone_other_sanitized", "pi_founding_date"}
LEAD_STAFF_ONLY = {("crm.lead", "pi_gender"), ("crm.lead", "pi_salutation")}
INTERNAL_PARTNER_FIELDS = ["pi_score", "pi_stars", "pi_segment", "pi_tier_id", "pi_group_id", "pi_source_id",
                           "pi_last_interaction_date", "pi_lead_ids", "pi_interaction_ids",
                           "pi_duplicate_partner_ids", "pi_duplicate_count", "pi_duplicate_hidden_count"]


def _pi_crm_fields(model):
    return {
        name: field for name, field in model._fields.items() if name.startswith("pi_") and field._module == "pi_crm"
    }


@tagged("pi_security")
class TestPiInternalFields(PiCrmCommon):
    """Issue 11 point 8: an investor (portal user of Lan's customer Hùng) reads
    their own partner with ORM calls as the RPC layer makes them, but not PI's
    internal rating of them; :class:`TestPiInternalFieldsHttp` sends the same
    reads over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.investor = pi_user(
            cls.env, "investor", "test_nha_dau_tu", partner_id=cls.customer_lan.id, name=cls.customer_lan.name,
            email="hung.le@example.vn",
        )

    def test_every_internal_pi_field_is_staff_only(self):
        for model_name in ("res.partner", "crm.lead"):
            for name, field in _pi_crm_fields(self.env[model_name]).items():
                with self.subTest(model=model_name, field=name):
                    # an investor reads them on their own partner; a lead's gender and salutation are staff only
                    if name in PERSONAL_FIELDS and (model_name, name) not in LEAD_STAFF_ONLY:
                        self.assertFalse(field.groups)
                    else:
                        self.assertEqual(field.groups, "base.group_user")
        self.assertLessEqual(set(INTERNAL_PARTNER_FIELDS), set(_pi_crm_fields(self.env["res.partner"])))

    @users("test_nha_dau_tu")
    def test_investor_reads_own_partner_but_not_the_internal_fields(self):
        partner = self.env["res.partner"].browse(self.customer_lan.id)
        self.assertEqual(partner.read(["name", "pi_salutation"])[0]["pi_salutation"], "Anh Hùng")
        for name in INTERNAL_PARTNER_FIELDS:
            with self.subTest(field=name), self.assertRaises(AccessError):
                partner.read([name])
        with self.assertRaises(AccessError):
            partner.search_read([("pi_stars", "=", "5")], ["name"])
        self.assertFalse(set(INTERNAL_PARTNER_FIELDS) & set(partner.fields_get()))

    @users("test_tv_lan")
    def test_consultant_reads_the_internal_fields(self):
        values = self.env["res.partner"].browse(self.customer_lan.id).read(INTERNAL_PARTNER_FIELDS)[0]
        self.assertEqual(values["pi_segment"], "raw")


@tagged("post_install", "-at_install", "pi_security")
class TestPiInternalFieldsHttp(HttpCase):
    """The same investor over HTTP: JSON-RPC refuses the rating, /my/account works."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consultant = pi_user(cls.env, "consultant", "test_tv_http")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Lê Văn Hùng", "email": "hung.http@example.vn", "user_id": cls.consultant.id}
        )
        cls.investor = pi_user(
            cls.env, "investor", "test_ndt_http", partner_id=cls.customer.id, name=cls.customer.name,
            email=cls.customer.email,
        )

    def test_investor_rpc_read_of_the_rating_is_refused(self):
        self.authenticate("test_ndt_http", "test_ndt_http")
        call = {"model": "res.partner", "method": "read", "args": [[self.customer.id], ["name"]], "kwargs": {}}
        result = self.make_jsonrpc_request("/web/dataset/call_kw/res.partner/read", call)
        self.assertEqual(result[0]["name"], "Lê Văn Hùng")
        for name in ("pi_score", "pi_stars", "pi_segment"):
            call["args"] = [[self.customer.id], [name]]
            with self.subTest(field=name), mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
                self.make_jsonrpc_request("/web/dataset/call_kw/res.partner/read", call)
            self.assertIn("AccessError", str(caught.exception))

    def test_investor_account_page_still_works(self):
        self.authenticate("test_ndt_http", "test_ndt_http")
        response = self.url_open("/my/account")
        self.assertEqual(response.status_code, 200)
        self.assertIn("hung.http@example.vn", response.text)
