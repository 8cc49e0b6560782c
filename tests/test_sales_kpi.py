"""pi_bonus/tools/sales_kpi.py: month arithmetic, ratios and the "Tổng kết Sale" workbook."""

import datetime
import io

import openpyxl

import sales_kpi
from sales_kpi import COUNT, MONEY, PERCENT, TEXT


def test_months_and_weeks():
    assert sales_kpi.month_start(datetime.date(2026, 3, 17)) == datetime.date(2026, 3, 1)
    assert sales_kpi.month_end(datetime.date(2026, 2, 10)) == datetime.date(2026, 2, 28)
    assert sales_kpi.month_end(datetime.date(2028, 2, 10)) == datetime.date(2028, 2, 29)
    assert sales_kpi.month_end(datetime.date(2026, 12, 31)) == datetime.date(2026, 12, 31)
    # Monday 09/03/2026: the week before runs Monday 02/03 to Sunday 08/03
    assert sales_kpi.week_before(datetime.date(2026, 3, 9)) == (datetime.date(2026, 3, 2), datetime.date(2026, 3, 8))
    assert sales_kpi.week_before(datetime.date(2026, 3, 15)) == (datetime.date(2026, 3, 2), datetime.date(2026, 3, 8))


def test_ratio():
    assert sales_kpi.ratio(1, 4) == 25.0
    assert sales_kpi.ratio(5, 0) is None
    assert sales_kpi.ratio(3, 2, factor=1) == 1.5


COLUMNS = [("Nhân viên", TEXT), ("KH mới", COUNT), ("Hợp đồng", COUNT), ("Vốn", MONEY),
           ("Chuyển đổi (%)", PERCENT, (2, 1, 100))]
ROWS = [["Lan", 3, 1, 500_000_000, 33.3], ["Minh", 1, 1, 1_500_000_000, 100.0]]


def test_totals_sum_counts_and_recompute_ratios():
    assert sales_kpi.totals(COLUMNS, ROWS) == [None, 4, 2, 2_000_000_000, 50.0]
    assert sales_kpi.totals(COLUMNS, []) == [None, 0, 0, 0, None]


def test_workbook_reads_back():
    content = sales_kpi.build_workbook("Tổng kết Sale 03/2026", [("Nhân viên tư vấn", COLUMNS, ROWS),
                                                                 ("Trống", COLUMNS, [])], "Tổng cộng")
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Nhân viên tư vấn"]
    assert sheet["A1"].value == "Tổng kết Sale 03/2026"
    assert [cell.value for cell in sheet[3]] == [column[0] for column in COLUMNS]
    assert sheet.freeze_panes == "B4"
    assert sheet["D4"].value == 500_000_000 and sheet["D4"].number_format == "#,##0"
    assert sheet["A6"].value == "Tổng cộng"
    assert sheet["D6"].value == "=SUM(D4:D5)"
    assert sheet["E6"].value == 50.0
    cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True)["Nhân viên tư vấn"]
    assert cached["D6"].value == 2_000_000_000
    empty = book["Trống"]
    assert empty["A4"].value == "Tổng cộng" and empty["B4"].value == "=0"


def test_long_sheet_names_are_cut_to_excel_limit():
    content = sales_kpi.build_workbook("t", [("x" * 40, COLUMNS, ROWS)], "Tổng")
    assert openpyxl.load_workbook(io.BytesIO(content)).sheetnames == ["x" * 31]


def test_sheet_names_excel_refuses_are_cleaned():
    assert sales_kpi.sheet_name("Tỉnh/Thành") == "Tỉnh Thành"
    assert sales_kpi.sheet_name("a[b]:c*?\\") == "a b  c"
    assert sales_kpi.sheet_name("///") == "-"
