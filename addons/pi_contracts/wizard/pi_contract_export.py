import base64
import io

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class PiContractExport(models.TransientModel):
    """Excel export of contracts with their payout as of a chosen date."""

    _name = "pi.contract.export"
    _description = "Export Contracts to Excel"

    date_value = fields.Date(string="Payout As Of", required=True, default=fields.Date.context_today)
    contract_ids = fields.Many2many(
        "pi.investment.contract", string="Contracts",
        default=lambda self: self._default_contract_ids(),
        help="The contracts selected in the list; when empty, all the contracts you can see except cancelled ones.")
    file_data = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.model
    def _default_contract_ids(self):
        context = self.env.context
        if context.get("active_model") == "pi.investment.contract":
            if context.get("active_domain") is not None and not context.get("active_ids"):
                return self.env["pi.investment.contract"].search(context["active_domain"])
            return self.env["pi.investment.contract"].browse(context.get("active_ids") or [])
        return self.env["pi.investment.contract"]

    def action_export(self):
        self.ensure_one()
        contracts = self.contract_ids or self.env["pi.investment.contract"].search([("state", "!=", "cancelled")])
        if not contracts:
            raise UserError(self.env._("There is no contract to export."))
        self.write({
            "file_data": base64.b64encode(self._build_workbook(contracts)),
            "file_name": f"hop-dong-{self.date_value.strftime('%Y%m%d')}.xlsx",
        })
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/{self.file_name}?download=true",
            "target": "self",
        }

    def _get_columns(self):
        """(header, width, value getter, format key) of each column; a hook to add columns."""
        states = dict(self.env["pi.investment.contract"]._fields["state"]._description_selection(self.env))

        def money(key):
            return lambda contract, payout: payout[key]

        return [
            (self.env._("Reference"), 18, lambda c, p: c.name, None),
            (self.env._("Investor"), 28, lambda c, p: c.partner_id.name, None),
            (self.env._("Product"), 22, lambda c, p: c.product_id.code, None),
            (self.env._("Consultant"), 22, lambda c, p: c.user_id.name or "", None),
            (self.env._("State"), 14, lambda c, p: states.get(c.state, c.state), None),
            (self.env._("Start Date"), 12, lambda c, p: c.date_start, "date"),
            (self.env._("End Date"), 12, lambda c, p: c.date_end, "date"),
            (self.env._("Base Rate (%)"), 10, lambda c, p: c.base_rate, "rate"),
            (self.env._("Fee (%)"), 10, lambda c, p: c.fee_rate, "rate"),
            (self.env._("Principal"), 18, money("principal"), "money"),
            (self.env._("Days"), 8, lambda c, p: p["days"], None),
            (self.env._("Base Profit"), 16, money("base_profit"), "money"),
            (self.env._("Gross Profit"), 16, money("gross_profit"), "money"),
            (self.env._("Profit Above Base"), 16, money("excess_profit"), "money"),
            (self.env._("PI Fee"), 16, money("fee"), "money"),
            (self.env._("Investor Profit"), 16, money("investor_profit"), "money"),
            (self.env._("Payout"), 18, money("payout"), "money"),
        ]

    def _build_workbook(self, contracts):
        payouts = contracts._compute_payouts(self.date_value)
        columns = self._get_columns()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Contracts"))
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
            "money": workbook.add_format({"num_format": "#,##0"}),
            "rate": workbook.add_format({"num_format": "0.00"}),
            "date": workbook.add_format({"num_format": "dd/mm/yyyy"}),
            "total": workbook.add_format({"bold": True, "num_format": "#,##0", "top": 1}),
        }
        sheet.write(0, 0, self.env._("Contracts: payout as of %(date)s",
                                     date=format_date(self.env, self.date_value)), formats["title"])
        header_row = 2
        for col, (header, width, _getter, _fmt) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(header_row, col, header, formats["header"])
        row = header_row
        for row, contract in enumerate(contracts, start=header_row + 1):
            payout = payouts[contract.id]
            for col, (_header, _width, getter, fmt) in enumerate(columns):
                value = getter(contract, payout)
                if fmt == "date":
                    if value:
                        sheet.write_datetime(row, col, fields.Datetime.to_datetime(value), formats["date"])
                else:
                    sheet.write(row, col, value, formats.get(fmt))
        total_row = row + 1
        sheet.write(total_row, 0, self.env._("Total"), formats["total"])
        for col, (_header, _width, _getter, fmt) in enumerate(columns):
            if fmt == "money":
                letter = xl_col_to_name(col)
                sheet.write_formula(total_row, col, f"=SUM({letter}{header_row + 2}:{letter}{total_row})",
                                    formats["total"])
        sheet.freeze_panes(header_row + 1, 2)
        sheet.autofilter(header_row, 0, max(row, header_row), len(columns) - 1)
        workbook.close()
        return output.getvalue()
