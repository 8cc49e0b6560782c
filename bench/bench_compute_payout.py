#!/usr/bin/env python3
"""Benchmark: payout of 100,000 contracts with ``_compute_payouts``, against its floor.

Not a test: run it by hand on a machine with Odoo 18 and PostgreSQL.

    PGHOST=127.0.0.1 PGPORT=5433 PGUSER=odoo PGPASSWORD=odoo python3 bench/bench_compute_payout.py

It creates (once) its own database ``pi_bench_contracts`` with pi_contracts
installed without demo data, inserts the contracts with one SQL statement
inside a transaction, times the batched valuation, then its floor: the pure
money function (``tools.contract_money.payout_with_series``) over the same rows
and NAV series already in Python memory, in the same process, right after.
Prints both and their ratio (goal: ``_compute_payouts`` <= 3x the floor, through
``bench/ratio.py``) and rolls the transaction back, so it can be run again.
Options: ``--db NAME``, ``--count N``, ``--date YYYY-MM-DD``, ``--repeat N`` (best of N).
"""

import argparse
import datetime
import time

from benchlib import create_db, db_exists, drop_db, odoo_args  # odoo_args: bench_sales_summary imports it here
from ratio import RatioTable


def ensure_database(db, template=None):
    """``db`` as it is when it exists, else a copy of ``template`` or a new one with pi_contracts."""
    if not db_exists(db):
        create_db(db, "pi_contracts", template)


def floor_seconds(env, contracts, on_date):
    """The pure money function over the same data, already in memory: what is left when
    the database and the ORM cost nothing."""
    from odoo.addons.pi_contracts.tools import contract_money  # noqa: PLC0415

    env.cr.execute("""SELECT principal, base_rate, fee_rate, date_start, date_end, product_id
                        FROM pi_investment_contract WHERE id = ANY(%s)""", [contracts.ids])
    rows = env.cr.fetchall()
    series = env["pi.product.performance"]._get_nav_series({row[5] for row in rows})
    started = time.perf_counter()
    for principal, base_rate, fee_rate, date_start, date_end, product_id in rows:
        contract_money.payout_with_series(round(principal or 0), base_rate or 0, fee_rate or 0, date_start, date_end,
                                          on_date, series.get(product_id))
    return time.perf_counter() - started


def run(db, count, on_date, repeat=1):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_args(db))
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Product = env["pi.investment.product"]
        products = Product.create([
            {"name": "Bench BCC", "code": "BENCH-BCC", "term_months": 12},
            {"name": "Bench Fund", "code": "BENCH-FUND", "kind": "other", "term_months": 6},
        ])
        launch = datetime.date(2024, 1, 1)
        env["pi.product.performance"].create([
            {"product_id": product.id, "date": launch + datetime.timedelta(weeks=week),
             "nav_index": 1 + (0.0025 if index == 0 else 0.0012) * week}
            for index, product in enumerate(products) for week in range(156)
        ])
        partner = env["res.partner"].create({"name": "Nhà đầu tư thử", "mobile": "+84912000000"})
        currency = env.ref("base.VND")
        env.flush_all()
        started = time.perf_counter()
        cr.execute(
            """
            INSERT INTO pi_investment_contract
                (name, company_id, currency_id, partner_id, product_id, product_kind, user_id, state,
                 principal, date_start, term_months, date_end, base_rate, fee_rate,
                 create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || g, %(company)s, %(currency)s, %(partner)s,
                   CASE WHEN g %% 2 = 0 THEN %(p0)s ELSE %(p1)s END,
                   CASE WHEN g %% 2 = 0 THEN 'bcc' ELSE 'other' END,
                   %(uid)s, 'active',
                   100000000 + (g %% 50) * 10000000,
                   DATE '2024-01-01' + (g %% 700),
                   12,
                   DATE '2024-01-01' + (g %% 700) + INTERVAL '12 months',
                   6, CASE WHEN g %% 3 = 0 THEN 10 ELSE 20 END,
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) AS g
            """,
            {"company": env.company.id, "currency": currency.id, "partner": partner.id, "p0": products[0].id,
             "p1": products[1].id, "uid": SUPERUSER_ID, "count": count})
        inserted = time.perf_counter() - started
        contracts = env["pi.investment.contract"].search([("name", "=like", "BENCH/%")])
        timings, floors = [], []
        for _round in range(repeat):
            env.invalidate_all()
            queries_before = cr.sql_log_count
            started = time.perf_counter()
            payouts = contracts._compute_payouts(on_date)
            timings.append(time.perf_counter() - started)
            queries = cr.sql_log_count - queries_before
            floors.append(floor_seconds(env, contracts, on_date))
        elapsed, floor = min(timings), min(floors)
        total = sum(payout["payout"] for payout in payouts.values())
        print(f"contracts:            {len(payouts):,}")
        print(f"insert (SQL):         {inserted:.2f} s")
        print(f"_compute_payouts:     {elapsed:.2f} s  ({elapsed / max(len(payouts), 1) * 1e6:.1f} µs/contract, "
              f"{queries} queries)")
        print(f"floor (money function on the same data in memory): {floor:.2f} s")
        print(f"total payout on {on_date}: {total:,} đ")
        cr.rollback()
    table = RatioTable("payouts")
    table.add(f"_compute_payouts, {len(payouts):,} contracts", elapsed, floor, goal="<= 3", unit="s",
              reference_name="money function in memory")
    table.print()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="pi_bench_contracts")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--date", default="2025-06-30")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs of each")
    parser.add_argument("--quick", action="store_true", help="a short run: 10,000 contracts, once")
    parser.add_argument("--template", help="create the database as a copy of this one (addons installed)")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    options = parser.parse_args()
    if options.quick:
        options.count, options.repeat = 10_000, 1
    ensure_database(options.db, options.template)
    try:
        run(options.db, options.count, datetime.date.fromisoformat(options.date), options.repeat)
    finally:
        if options.drop:
            import odoo  # noqa: PLC0415

            odoo.sql_db.close_all()
            drop_db(options.db)


if __name__ == "__main__":
    main()
