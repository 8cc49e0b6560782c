#!/usr/bin/env python3
"""Benchmark: a campaign e-mail to 10,000 recipients, PI's path against stock (not a test: figures to read).

    PGHOST=127.0.0.1 PGPORT=5432 PGUSER=odoo PGPASSWORD=odoo python3 bench/bench_campaign.py [--quick]

1. creates its own database (``--db``, default ``pi_bench_campaign``) with pi_crm
   (stock mass_mailing included) and no demo data, and twice ``--recipients``
   customers (10,000; 2,000 with ``--quick``) with a name, gender and e-mail;
2. sends the same mailing (subject, body with PI's merge fields
   ``object.pi_salutation`` and ``object.pi_given_name``, a campaign) twice, each
   to its own half of the customers, in the same process:
   - **stock**: stock ``mass_mailing``'s own ``_action_send_mail`` (the stock
     class's method, so none of PI's additions to the mailing runs), then the
     mail queue;
   - **PI**: ``mailing.mailing._action_send_mail`` as PI has it (a marketing
     note on each recipient's timeline, in one batch), then the mail queue;
   the mail queue sends ``--send-sample`` e-mails of each (all with ``--quick``,
   else 2,000: the sending is the same code for both paths and costs most of the
   time) to an SMTP sink on loopback (nothing leaves the machine);
3. prints, for each, the time and the queries per recipient for the queueing
   (mails, traces, PI's notes) and for the whole (queueing + sending), and the
   ratios (goal: PI no worse than 1.2x stock per recipient), with
   ``bench/ratio.py``;
4. drops the database (``--keep-db`` to keep it).

The stock run goes first; a 50-recipient warm-up of each path runs before both.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import create_customers, create_db, drop_db, odoo_args, say  # noqa: E402 - bench/ is this script's directory
from ratio import RatioTable  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "addons", "pi_crm", "tests"))
import local_smtp  # noqa: E402 - the test suite's loopback SMTP sink

# The sink keeps messages unparsed: parsing 20,000 e-mails in this process would
# take the interpreter from the paths measured.
local_smtp.ReceivedMessage = lambda mail_from, rcpt_to, data: None

BODY = (
    '<div><p>Kính gửi <t t-out="object.pi_salutation"></t>,</p>'
    '<p><t t-out="object.pi_given_name"></t> ơi, Passion Investment gửi Anh/Chị kết quả đầu tư quý IV '
    'và chương trình BCC 12 tháng mới.</p>'
    '<p><a href="https://passioninvestment.vn/bcc">Xem chi tiết</a></p></div>'
)
WARM_UP = 50


def populate(env, count, tag):
    """``count`` customers with a Vietnamese name, a gender and an e-mail; their ids."""
    return create_customers(env, count, tag)


def make_mailing(env, campaign, subject, partner_ids):
    return env["mailing.mailing"].create({
        "subject": subject, "body_html": BODY, "campaign_id": campaign.id,
        "mailing_model_id": env["ir.model"]._get("res.partner").id,
        "mailing_domain": repr([("id", "in", partner_ids)]),
    })


def run_path(env, mailing, partner_ids, stock, send_sample):
    """Queue ``mailing`` for ``partner_ids`` (stock's method or PI's), then send ``send_sample``
    of its e-mails through the mail queue (the same code for both paths).

    :return: ``(queue seconds, queue queries, send seconds, send queries, e-mails sent)``
    """
    from odoo.addons.mass_mailing.models.mailing import MassMailing  # noqa: PLC0415

    cr = env.cr
    env.invalidate_all()
    queries, started = cr.sql_log_count, time.perf_counter()
    if stock:
        MassMailing._action_send_mail(mailing, partner_ids)
    else:
        mailing._action_send_mail(partner_ids)
    env.flush_all()
    queue_time, queue_queries = time.perf_counter() - started, cr.sql_log_count - queries
    cr.commit()
    mails = env["mail.mail"].search([("mailing_id", "=", mailing.id), ("state", "=", "outgoing")],
                                    limit=send_sample, order="id")
    env.invalidate_all()
    queries, started = cr.sql_log_count, time.perf_counter()
    mails.send(auto_commit=True)
    env.flush_all()
    send_time, send_queries = time.perf_counter() - started, cr.sql_log_count - queries
    cr.commit()
    sent = env["mailing.trace"].search_count([("mass_mailing_id", "=", mailing.id), ("trace_status", "=", "sent")])
    return queue_time, queue_queries, send_time, send_queries, sent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="pi_bench_campaign")
    parser.add_argument("--recipients", type=int, default=None, help="per path (10,000; 2,000 with --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--send-sample", type=int, default=None,
                        help="e-mails of each mailing sent through the mail queue (all with --quick, else 2,000)")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    options.recipients = options.recipients or (2_000 if options.quick else 10_000)
    options.send_sample = min(options.send_sample or 2_000, options.recipients)
    create_db(options.db, "pi_crm")
    try:
        with local_smtp.LocalSmtpServer() as smtp:
            bench(options, smtp)
    finally:
        if not options.keep_db:
            say(f"dropping {options.db}")
            drop_db(options.db)


def bench(options, smtp):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_args(options.db))
    registry = odoo.modules.registry.Registry(options.db)
    size = options.recipients
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.mail_server"].create({"name": "sink", "smtp_host": smtp.host, "smtp_port": smtp.port,
                                      "smtp_encryption": "none"})
        env["ir.config_parameter"].set_param("mail.default.from", "marketing@bench.example.vn")
        started = time.perf_counter()
        groups = {name: populate(env, count, name) for name, count in (
            ("warmstock", WARM_UP), ("warmpi", WARM_UP), ("stock", size), ("pi", size))}
        say(f"{2 * size + 2 * WARM_UP:,} customers in {time.perf_counter() - started:.1f} s")
        campaign = env["utm.campaign"].create({"title": "Bench quý IV", "pi_budget": 50_000_000})
        cr.commit()

        for name in ("warmstock", "warmpi"):
            mailing = make_mailing(env, campaign, f"Khởi động {name}", groups[name])
            run_path(env, mailing, groups[name], stock=name == "warmstock", send_sample=WARM_UP)
        figures = {}
        for name in ("stock", "pi"):
            mailing = make_mailing(env, campaign, "Kết quả đầu tư quý IV", groups[name])
            say(f"{name}: mailing to {size:,} recipients")
            figures[name] = run_path(env, mailing, groups[name], stock=name == "stock",
                                     send_sample=options.send_sample)
            queue_time, queue_queries, send_time, send_queries, sent = figures[name]
            say(f"{name}: {size:,} queued in {queue_time:.1f} s ({queue_queries:,} queries); "
                f"{sent:,} sent in {send_time:.1f} s ({send_queries:,} queries)")
        notes = env["mail.message"].search_count([("pi_care_kind", "=", "marketing"), ("model", "=", "res.partner")])
        say(f"timeline notes: {notes:,} (PI: {size + WARM_UP:,} expected, stock: none)")

    stock, pi = figures["stock"], figures["pi"]
    sample = options.send_sample
    table = RatioTable(f"campaign e-mail to {size:,} recipients, PI vs stock mass_mailing")

    def per_recipient(figure):
        queue_time, queue_queries, send_time, send_queries, _sent = figure
        return (queue_time * 1000 / size, queue_queries / size, send_time * 1000 / sample, send_queries / sample)

    pi_row, stock_row = per_recipient(pi), per_recipient(stock)
    table.add("queue: time per recipient", pi_row[0], stock_row[0], goal="<= 1.2", unit="ms",
              reference_name="stock")
    table.add("queue: queries per recipient", pi_row[1], stock_row[1], goal="<= 1.2", unit="",
              reference_name="stock")
    table.add(f"send ({sample:,} e-mails): time per recipient", pi_row[2], stock_row[2], unit="ms",
              reference_name="stock")
    table.add("queue + send: time per recipient", pi_row[0] + pi_row[2], stock_row[0] + stock_row[2],
              goal="<= 1.2", unit="ms", reference_name="stock")
    table.add("queue + send: queries per recipient", pi_row[1] + pi_row[3], stock_row[1] + stock_row[3],
              goal="<= 1.2", unit="", reference_name="stock")
    table.print()


if __name__ == "__main__":
    main()
