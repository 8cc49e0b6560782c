from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

# Who may do what with pi_crm's records, over RPC (the ORM as the user).
#
# Each row acts on one fixture record (built in setUpClass, owned by the
# consultant Lan) and lists what each role may do:
#   r  read the fields of the row           w  write them (values in WRITE_VALUES)
#   c  create a record like it (CREATE_VALUES, linked to Lan's lead or customer)
#   u  unlink the record                    -  nothing
# Roles: consultant = Lan on her own record; other = Minh, another consultant, on
# Lan's record; manager; admin (PI full rights); investor = portal user of Lan's
# customer Hùng; public = the website visitor. A record of None is an abstract
# model: the row is its access rights alone. New model or rule: add a row.
ROLES = ("consultant", "other", "manager", "admin", "investor", "public")
MATRIX = [
    # model                     record             fields                 consultant other manager admin   investor public
    ("res.partner",             "customer_lan",    "name,email",          "rcw",     "-",  "rcw",  "rcw",  "r",     "-"),
    ("res.partner",             "customer_lan",    "pi_score,pi_segment", "rc",      "-",  "rc",   "rc",   "-",     "-"),
    ("res.partner",             "company_partner", "email",               "rc",      "rc", "rcw",  "rcw",  "-",     "-"),
    ("crm.lead",                "lead_lan",        "name,pi_class",       "rcw",     "-",  "rcw",  "rcwu", "-",     "-"),
    ("crm.lead",                "lead_lan",        "pi_score,pi_stars",   "rc",      "-",  "rc",   "rcu",  "-",     "-"),
    ("pi.interaction",          "interaction_lan", "summary",             "rcw",     "-",  "rcwu", "rcwu", "-",     "-"),
    ("pi.interaction",          "interaction_lan", "points",              "rc",      "-",  "rcu",  "rcu",  "-",     "-"),
    ("pi.timeline",             "timeline_lan",    "summary",             "r",       "-",  "r",    "r",    "-",     "-"),
    ("pi.channel.point",        "channel_point",   "points",              "r",       "r",  "rcwu", "rcwu", "-",     "-"),
    ("pi.interaction.result",   "result",          "points",              "r",       "r",  "rcwu", "rcwu", "-",     "-"),
    ("pi.customer.group",       "customer_group",  "points",              "r",       "r",  "rcwu", "rcwu", "-",     "-"),
    ("pi.customer.tier",        "customer_tier",   "name",                "r",       "r",  "rcwu", "rcwu", "-",     "-"),
    ("pi.star.threshold",       "threshold",       "min_points",          "r",       "r",  "rcwu", "rcwu", "-",     "-"),
    ("pi.log.call",             "log_call_lan",    "summary",             "rcwu",    "-",  "c",    "c",    "-",     "-"),
    ("pi.lead.entry",           "lead_entry_lan",  "contact_name",        "rcwu",    "c",  "c",    "c",    "-",     "-"),
    ("pi.integration.key",      "key",             "name",                "-",       "-",  "-",    "rcwu", "-",     "-"),
    ("pi.integration.key.show", None,              "key",                 "-",       "-",  "-",    "rc",   "-",     "-"),
    ("pi.api.call",             "api_call",        "endpoint",            "-",       "-",  "-",    "ru",   "-",     "-"),
    ("pi.intake",               None,              "-",                   "-",       "-",  "-",    "-",    "-",     "-"),
]
# Buttons (public methods, callable over RPC): x = may call it on the record.
ACTIONS = [
    # model                record             method                 consultant other manager admin investor public
    ("res.partner",        "customer_lan",    "action_pi_log_call",  "x",       "-",  "x",    "x",  "-",     "-"),
    ("res.partner",        "customer_lan",    "action_pi_timeline",  "x",       "-",  "x",    "x",  "-",     "-"),
    ("crm.lead",           "lead_lan",        "action_pi_log_call",  "x",       "-",  "x",    "x",  "-",     "-"),
    ("crm.lead",           "lead_lan",        "action_pi_timeline",  "x",       "-",  "x",    "x",  "-",     "-"),
    ("pi.timeline",        "timeline_lan",    "action_open_source",  "x",       "-",  "x",    "x",  "-",     "-"),
    ("pi.log.call",        "log_call_lan",    "action_log",          "x",       "-",  "-",    "-",  "-",     "-"),
    ("pi.lead.entry",      "lead_entry_lan",  "action_create",       "x",       "-",  "-",    "-",  "-",     "-"),
    ("pi.integration.key", "key",             "action_revoke",       "-",       "-",  "-",    "x",  "-",     "-"),
    ("pi.integration.key", "key",             "action_generate_key", "-",       "-",  "-",    "x",  "-",     "-"),
    ("pi.api.call",        "api_call",        "action_open_record",  "-",       "-",  "-",    "x",  "-",     "-"),
]
OPERATIONS = {"r": "read", "c": "create", "w": "write", "u": "unlink"}
WRITE_VALUES = {
    "name": "Đã sửa", "email": "da.sua@example.vn", "pi_score": 999, "pi_segment": "loyal", "pi_class": "potential",
    "pi_stars": "5", "summary": "Đã sửa", "points": 7, "min_points": 1, "contact_name": "Đã sửa", "endpoint": "pbx",
}


def create_values(test):
    """Values of the ``c`` check, per (model, record)."""
    return {
        ("res.partner", "customer_lan"): {"name": "Khách mới của Lan", "user_id": test.lan.id},
        ("res.partner", "company_partner"): {"name": "Phòng kế toán", "type": "other",
                                             "parent_id": test.records["company_partner"].id},
        ("crm.lead", "lead_lan"): {"name": "Lead mới của Lan", "user_id": test.lan.id},
        ("pi.interaction", "interaction_lan"): {"lead_id": test.records["lead_lan"].id, "summary": "Gọi lại"},
        ("pi.timeline", "timeline_lan"): {"summary": "Dòng giả"},
        ("pi.channel.point", "channel_point"): {"channel": "other", "points": 1},
        ("pi.interaction.result", "result"): {"name": "Kết quả mới", "points": 1},
        ("pi.customer.group", "customer_group"): {"name": "Nhóm mới"},
        ("pi.customer.tier", "customer_tier"): {"name": "Hạng mới"},
        ("pi.star.threshold", "threshold"): {"stars": 5, "min_points": 10**6},
        ("pi.log.call", "log_call_lan"): {"lead_id": test.records["lead_lan"].id, "summary": "Gọi lại"},
        ("pi.lead.entry", "lead_entry_lan"): {"contact_name": "Khách nhập tay", "phone": "0912 000 111"},
        ("pi.integration.key", "key"): {"name": "Website thử", "kind": "website"},
        ("pi.api.call", "api_call"): {"endpoint": "leads", "status_code": 201},
    }


@tagged("pi_security", "pi_permission_matrix")
class TestPiCrmPermissionMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,pi_crm.group_pi_%s"
        cls.lan = new_test_user(cls.env, login="test_matrix_lan", groups=groups % "consultant")
        cls.minh = new_test_user(cls.env, login="test_matrix_minh", groups=groups % "consultant")
        cls.manager = new_test_user(cls.env, login="test_matrix_ha", groups=groups % "manager")
        cls.admin = new_test_user(cls.env, login="test_matrix_an", groups=groups % "admin")
        customer = cls.env["res.partner"].create({"name": "Lê Văn Hùng", "user_id": cls.lan.id})
        cls.investor = new_test_user(cls.env, login="test_matrix_ndt", groups="base.group_portal",
                                     partner_id=customer.id, name=customer.name)
        cls.users = dict(zip(ROLES, (cls.lan, cls.minh, cls.manager, cls.admin, cls.investor,
                                     cls.env.ref("base.public_user"))))
        lead = cls.env["crm.lead"].create({"name": "Lan's lead", "user_id": cls.lan.id, "partner_id": customer.id})
        interaction = cls.env["pi.interaction"].create({"lead_id": lead.id, "user_id": cls.lan.id, "summary": "Gọi"})
        # free the unique slots the create checks fill
        cls.env.ref("pi_crm.channel_point_other").unlink()
        cls.env.ref("pi_crm.star_threshold_5").unlink()
        cls.records = {
            "customer_lan": customer,
            "company_partner": cls.env.company.partner_id,
            "lead_lan": lead,
            "interaction_lan": interaction,
            "timeline_lan": cls.env["pi.timeline"].search([("interaction_id", "=", interaction.id)]),
            "channel_point": cls.env.ref("pi_crm.channel_point_call"),
            "result": cls.env["pi.interaction.result"].create({"name": "Kết quả thử"}),
            "customer_group": cls.env["pi.customer.group"].create({"name": "Nhóm thử"}),
            "customer_tier": cls.env["pi.customer.tier"].create({"name": "Hạng thử"}),
            "threshold": cls.env.ref("pi_crm.star_threshold_1"),
            "log_call_lan": cls.env["pi.log.call"].with_user(cls.lan).create({"lead_id": lead.id, "summary": "x"}),
            "lead_entry_lan": cls.env["pi.lead.entry"].with_user(cls.lan).create(
                {"contact_name": "Khách", "phone": "0912 000 222"}
            ),
            "key": cls.env["pi.integration.key"].create({"name": "Website", "kind": "website"}),
            "api_call": cls.env["pi.api.call"].create({"endpoint": "leads", "status_code": 201}),
        }
        cls.creates = create_values(cls)

    def _allowed(self, operation):
        """Run ``operation`` in a savepoint, rolled back: True if done, False on AccessError."""
        try:
            with self.env.cr.savepoint() as savepoint:
                operation()
                self.env.flush_all()
                savepoint.rollback()  # also clears the cache
        except AccessError:
            return False
        return True

    def _checks(self, Model, record, names, create_vals):
        ids = record.ids
        return {
            "r": lambda: Model.browse(ids).read(names),
            "c": lambda: Model.create(dict(create_vals)),
            "w": lambda: Model.browse(ids).write({name: WRITE_VALUES[name] for name in names}),
            "u": lambda: Model.browse(ids).unlink(),
        }

    def test_permission_matrix(self):
        for model, record_key, fields, *expected in MATRIX:
            names = fields.split(",")
            for role, ops in zip(ROLES, expected):
                Model = self.env[model].with_user(self.users[role])
                record = self.records[record_key] if record_key else None
                checks = {} if record is None else self._checks(Model, record, names, self.creates[model, record_key])
                for op, operation in OPERATIONS.items():
                    with self.subTest(model=model, fields=fields, role=role, op=op):
                        # abstract model (no record): its access rights alone
                        done = Model.has_access(operation) if record is None else self._allowed(checks[op])
                        self.assertEqual(done, op in ops, f"{role} {'may' if op in ops else 'may not'} {operation}")

    def test_actions(self):
        for model, record_key, method, *expected in ACTIONS:
            for role, allowed in zip(ROLES, expected):
                action = getattr(self.records[record_key].with_user(self.users[role]), method)
                with self.subTest(model=model, method=method, role=role):
                    done = self._allowed(action)
                    self.assertEqual(done, allowed == "x")

    def test_every_pi_crm_model_has_a_row(self):
        models = self.env["ir.model"].browse(
            self.env["ir.model.data"].search([("module", "=", "pi_crm"), ("model", "=", "ir.model")]).mapped("res_id")
        )
        own = {model.model for model in models if model.model.startswith("pi.")} - {"pi.phone.lookup.mixin"}
        self.assertLessEqual(own | {"res.partner", "crm.lead"}, {row[0] for row in MATRIX})
