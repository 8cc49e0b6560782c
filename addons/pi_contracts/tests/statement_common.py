import contextlib
import datetime
from unittest.mock import patch

from odoo import fields
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.pi_contracts.models.pi_investment_statement import PiInvestmentStatement

from .common import PiContractsCommon

# A Sunday: the weekly run of Monday 30/11/2026 covers 23/11–29/11/2026.
WEEK_END = datetime.date(2026, 11, 29)
MONDAY = datetime.date(2026, 11, 30)
ENGINE_LOGGER = "odoo.addons.pi_contracts.models.pi_investment_statement"


class PiStatementCommon(PiContractsCommon, MockEmail):
    """The contracts' fixture with both contracts active and nothing else active:

        Hùng (Lan's customer): contract_lan 500.000.000 đ, e-mail and mobile, by e-mail and SMS
        Tuấn (Minh's customer): contract_minh 1.500.000.000 đ, mobile only, by SMS
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activate_fixture_contracts_only()
        cls.company = cls.contract_lan.company_id
        cls.company.email = "saoke@pi.example.vn"
        cls.investor_hung.pi_statement_channel = "both"
        cls.investor_tuan.pi_statement_channel = "sms"
        cls.Run = cls.env["pi.statement.run"]
        cls.Statement = cls.env["pi.investment.statement"]

    def make_run(self, date_to=WEEK_END, period="weekly"):
        # post-install tests share the database with the portal's demo, whose run is last week's:
        # move a run already there for this period a year back, as the engine would have dated it
        existing = self.Run.search([("period", "=", period), ("date_to", "=", date_to),
                                    ("company_id", "=", self.company.id)])
        if existing:
            existing._write_from_engine({"date_to": fields.Date.subtract(date_to, days=364)})
        return self.Run.create({"period": period, "date_to": date_to, "company_id": self.company.id})

    def statement_of(self, partner, run):
        return self.Statement.search([("partner_id", "=", partner.id), ("run_id", "in", run.ids)])

    def statements_of(self, partner):
        return self.Statement.search([("partner_id", "=", partner.id)])

    def email_messages(self, partner):
        return self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "=", partner.id), ("pi_care_kind", "=", "statement"),
            ("message_type", "=", "comment")])

    def sms_messages(self, partner):
        return self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "=", partner.id), ("pi_care_kind", "=", "statement"),
            ("message_type", "=", "sms")])

    @contextlib.contextmanager
    def crash_for(self, partner, message="gateway exploded"):
        """Sending to ``partner`` raises (a gateway down, a bug): the others go on."""
        original = PiInvestmentStatement._deliver_one

        def deliver_one(statement, *args):
            if statement.partner_id == partner:
                raise RuntimeError(message)
            return original(statement, *args)

        with patch.object(PiInvestmentStatement, "_deliver_one", deliver_one), mute_logger(ENGINE_LOGGER):
            yield
