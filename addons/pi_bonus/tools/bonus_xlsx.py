"""The monthly bonus statement as an Excel workbook. Pure Python: imports nothing from odoo."""

import io

import xlsxwriter

# Vietnamese thousands separator whatever the reader's Excel locale: the number stays a number.
VND_FORMAT = '#,##0 "đ"'


def statement_workbook(title, facts, headers, rows, totals):
    """An .xlsx (bytes): a title, ``facts`` as label/value rows, then a table.

    :param facts: ``[(label, value)]`` printed above the table (consultant, month...)
    :param headers: column titles; a column whose title ends with "(đ)" holds amounts
    :param rows: one list of values per line (dates already as dd/mm/yyyy texts)
    :param totals: ``[(label, amount)]`` printed below the table
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = workbook.add_format({"num_format": VND_FORMAT})
    money_bold = workbook.add_format({"num_format": VND_FORMAT, "bold": True})
    sheet.write(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
    for number, (label, value) in enumerate(facts, start=2):
        sheet.write(number, 0, label, bold)
        sheet.write(number, 1, value)
    header_row = len(facts) + 3
    amount_columns = {index for index, header in enumerate(headers) if header.endswith("(đ)")}
    for column, header in enumerate(headers):
        sheet.write(header_row, column, header, heading)
        sheet.set_column(column, column, 18 if column in amount_columns else 16)
    for number, row in enumerate(rows, start=header_row + 1):
        for column, value in enumerate(row):
            sheet.write(number, column, value, money if column in amount_columns else None)
    sheet.freeze_panes(header_row + 1, 0)
    total_row = header_row + len(rows) + 2
    for number, (label, amount) in enumerate(totals, start=total_row):
        sheet.write(number, 0, label, bold)
        sheet.write(number, 1, amount, money_bold)
    workbook.close()
    return buffer.getvalue()
