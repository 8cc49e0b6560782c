"""Sales KPIs without the ORM: month arithmetic, ratios, and the "Tổng kết Sale"
workbook (xlsxwriter) from rows already summed by the database.

Imports nothing from odoo: the wizard hands in translated labels and rows.
"""

import datetime
import io
import re

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

# Column kinds: how a cell is written and whether the sheet totals it.
TEXT, COUNT, MONEY, PERCENT, HOURS = "text", "count", "money", "percent", "hours"
SUMMED = (COUNT, MONEY)


def month_start(day):
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day):
    """The last day of ``day``'s month."""
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def ratio(numerator, denominator, factor=100.0):
    """``factor`` × numerator / denominator, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return factor * numerator / denominator


def week_before(day):
    """(Monday, Sunday) of the full week before ``day``'s week."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday - datetime.timedelta(days=7), monday - datetime.timedelta(days=1)


def totals(columns, rows):
    """The totals row: sums of the count and money columns, ratios recomputed from
    the sums (``columns[i][2]`` may name ``(numerator index, denominator index,
    factor)`` for a ratio column), blanks elsewhere."""
    result = []
    for index, column in enumerate(columns):
        kind = column[1]
        if kind in SUMMED:
            result.append(sum(row[index] or 0 for row in rows))
        elif len(column) > 2 and column[2]:
            num, den, factor = column[2]
            result.append(ratio(sum(row[num] or 0 for row in rows), sum(row[den] or 0 for row in rows), factor))
        else:
            result.append(None)
    return result


def sheet_name(name):
    """``name`` as Excel accepts a sheet name: without []:*?/\\, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "-"


def build_workbook(title, sheets, total_label):
    """The .xlsx bytes of ``sheets``.

    :param title: the first line of each sheet (e.g. the period)
    :param sheets: ``[(sheet name, columns, rows)]``; ``columns`` is
        ``[(header, kind[, ratio spec])]``, ``rows`` lists of values in column order
    :param total_label: the first cell of the totals row ("Tổng cộng")
    Header row on row 3 (frozen with the first column), data below, then the totals
    row: SUM formulas with their values cached, so a reader without a formula
    engine sees the figures too. Money is whole đồng with thousands separators.
    """
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "valign": "vcenter"}),
        COUNT: workbook.add_format({"num_format": "#,##0"}),
        MONEY: workbook.add_format({"num_format": "#,##0"}),
        PERCENT: workbook.add_format({"num_format": "0.0"}),
        HOURS: workbook.add_format({"num_format": "0.0"}),
        TEXT: None,
        "total": workbook.add_format({"bold": True, "num_format": "#,##0", "top": 1}),
        "total_ratio": workbook.add_format({"bold": True, "num_format": "0.0", "top": 1}),
    }
    header_row = 2
    for name, columns, rows in sheets:
        sheet = workbook.add_worksheet(sheet_name(name))
        sheet.write(0, 0, title, formats["title"])
        for col, column in enumerate(columns):
            sheet.set_column(col, col, 28 if col == 0 else (18 if column[1] == MONEY else 13))
            sheet.write(header_row, col, column[0], formats["header"])
        sheet.set_row(header_row, 32)
        for offset, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                sheet.write(header_row + offset, col, value, formats[columns[col][1]])
        total_row = header_row + len(rows) + 1
        sheet.write(total_row, 0, total_label, formats["total"])
        for col, value in enumerate(totals(columns, rows)):
            if col == 0 or value is None and columns[col][1] not in SUMMED:
                continue
            if columns[col][1] in SUMMED:
                first, last = xl_rowcol_to_cell(header_row + 1, col), xl_rowcol_to_cell(total_row - 1, col)
                formula = f"=SUM({first}:{last})" if rows else "=0"
                sheet.write_formula(total_row, col, formula, formats["total"], value)
            else:
                sheet.write_number(total_row, col, value, formats["total_ratio"])
        sheet.freeze_panes(header_row + 1, 1)
        if rows:
            sheet.autofilter(header_row, 0, total_row - 1, len(columns) - 1)
    workbook.close()
    return output.getvalue()
