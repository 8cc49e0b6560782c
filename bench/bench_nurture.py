#!/usr/bin/env python3
"""Benchmark: the two-week nurture over many leads, against stock mass mailing (figures to read).

    PGHOST=127.0.0.1 PGPORT=5432 PGUSER=odoo PGPASSWORD=odoo python3 bench/bench_nurture.py [--full]

1. creates its own database (``--db``, default ``pi_bench_nurture``) with pi_crm and no
   demo data; ``--leads`` leads (10,000 by default, ``--full``: 100,000) of 10 consultants,
   10 % of them due (flagged, created three weeks ago), by one SQL statement;
2. times the nurture job (``pi.nurture._cron_send``, batch after batch, committed like the
   cron) up to the queued e-mails with their traces, and counts its queries;
3. times stock ``mass_mailing`` sending the same template body and subject to the same
   leads (``mailing.mailing.action_send_mail``: composer in mass mode, traces), in the same run;
4. sends ``--send-sample`` e-mails of each through a local SMTP server on loopback (PI's
   pixel and tracked links are added when sending; stock adds its own to the campaign's);
5. prints time and queries per recipient of each and the ratios (goal: PI no worse than
   1.2x stock per recipient), then drops the database (``--keep-db`` to keep it).
"""

import argparse
import cProfile
import datetime
import importlib.util
import io
import os
import pstats
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from benchlib import create_db, drop_db, odoo_args, say  # noqa: E402
from ratio import RatioTable  # noqa: E402

NOW = datetime.datetime(2026, 12, 1, 2, 0)
NAMES = ["Mai", "Lan", "Hùng", "Tuấn", "Hà", "Dũng", "Thảo", "Nam", "Quang", "Vân"]


def populate(env, count):
    """``count`` leads of 10 consultants, every tenth due for the nurture; returns the due leads."""
    users = env["res.users"].with_context(no_reset_password=True).create([{
        "name": f"Tư vấn {index}", "login": f"bench_tv_{index}", "email": f"tv{index}@bench.example.vn",
        "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref("pi_crm.group_pi_consultant").id])],
    } for index in range(10)])
    stage = env["crm.stage"].search([("is_won", "=", False)], limit=1)
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO crm_lead (name, contact_name, email_from, email_normalized, user_id, stage_id, type, active,
                              probability, pi_nurture, pi_gender, pi_salutation, pi_consult_state, company_id,
                              create_uid, write_uid, create_date, write_date)
        SELECT 'Lead ' || n, 'Khách ' || (%(names)s)[1 + n %% 10], 'lead' || n || '@bench.example.vn',
               'lead' || n || '@bench.example.vn', (%(users)s::int[])[1 + n %% 10], %(stage)s, 'lead', true,
               10, n %% 10 = 0, 'female', 'Chị ' || (%(names)s)[1 + n %% 10], 'new', %(company)s, 1, 1,
               CASE WHEN n %% 10 = 0 OR n %% 3 = 0 THEN %(old)s ELSE %(young)s END, now()
          FROM generate_series(1, %(count)s) AS n
        """,
        {"names": NAMES, "users": users.ids, "stage": stage.id, "company": env.company.id, "count": count,
         "old": NOW - datetime.timedelta(days=21), "young": NOW - datetime.timedelta(days=3)})
    env.invalidate_all()
    due = env["crm.lead"].search(env["crm.lead"]._pi_nurture_domain(NOW, 14, 14), order="id")
    return due


def measure(env, work):
    """(seconds, queries) of ``work()``."""
    env.flush_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    work()
    env.flush_all()
    return time.perf_counter() - started, env.cr.sql_log_count - queries


def run_nurture(env, batch):
    while env["pi.nurture"]._cron_send(batch_size=batch, now=NOW):
        env.cr.commit()  # the cron commits after each batch
    env.cr.commit()


def run_stock(env, leads):
    template = env.ref("pi_crm.mail_template_nurture")
    mailing = env["mailing.mailing"].create({
        "name": "Bench: stock mass mailing", "subject": template.subject, "body_html": template.body_html,
        "body_arch": template.body_html, "mailing_model_id": env["ir.model"]._get("crm.lead").id,
        "mailing_domain": repr([("id", "in", leads.ids)]), "keep_archives": True,
    })
    mailing.action_send_mail(res_ids=leads.ids)
    env.cr.commit()
    return mailing


def send_sample(env, mails, server):
    mails.write({"mail_server_id": server.id})
    env.cr.commit()
    mails.send(auto_commit=True)
    env.cr.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="pi_bench_nurture")
    parser.add_argument("--leads", type=int, default=None, help="leads in the base (default 10,000; --full 100,000)")
    parser.add_argument("--full", action="store_true", help="100,000 leads, as the issue asks")
    parser.add_argument("--quick", action="store_true", help="10,000 leads (the default)")
    parser.add_argument("--batch", type=int, default=500, help="leads per nurture batch")
    parser.add_argument("--send-sample", type=int, default=300, help="e-mails of each sent through SMTP")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--profile", action="store_true", help="where the nurture's time goes (cProfile)")
    parser.add_argument("--no-create", action="store_true", help="reuse --db as it is (pi_crm installed, no lead)")
    options = parser.parse_args()
    options.leads = options.leads or (100_000 if options.full else 10_000)
    if not options.no_create:
        create_db(options.db, "pi_crm")
    try:
        bench(options)
    finally:
        if not options.keep_db:
            say(f"dropping {options.db}")
            drop_db(options.db)


def bench(options):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_args(options.db))
    spec = importlib.util.spec_from_file_location(
        "local_smtp", os.path.join(ROOT, "addons", "pi_crm", "tests", "local_smtp.py"))
    local_smtp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(local_smtp)
    registry = odoo.modules.registry.Registry(options.db)
    table = RatioTable("nurture vs stock mass mailing, per recipient")
    with registry.cursor() as cr, local_smtp.LocalSmtpServer() as smtp:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("web.base.url", "http://127.0.0.1:8069")
        server = env["ir.mail_server"].create({"name": "Loopback", "smtp_host": smtp.host, "smtp_port": smtp.port,
                                      "smtp_encryption": "none"})
        started = time.perf_counter()
        due = populate(env, options.leads)
        cr.commit()
        say(f"{options.leads:,} leads, {len(due):,} due ({time.perf_counter() - started:.1f} s)")

        profile = cProfile.Profile() if options.profile else None
        if profile:
            profile.enable()
        pi_time, pi_queries = measure(env, lambda: run_nurture(env, options.batch))
        if profile:
            profile.disable()
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(40)
            print(stream.getvalue()[-9000:])
        pi_mails = env["mail.mail"].search([("mail_message_id.pi_care_kind", "=", "marketing")])
        traces = env["mailing.trace"].search_count([("mail_mail_id", "in", pi_mails.ids)])
        say(f"nurture: {len(pi_mails):,} e-mails queued with {traces:,} traces in {pi_time:.1f} s, "
            f"{pi_queries:,} queries")
        mailing = None

        def stock():
            nonlocal mailing
            mailing = run_stock(env, due)

        stock_time, stock_queries = measure(env, stock)
        stock_mails = env["mail.mail"].search([("mailing_id", "=", mailing.id)])
        say(f"stock: {len(stock_mails):,} e-mails queued with {len(mailing.mailing_trace_ids):,} traces in "
            f"{stock_time:.1f} s, {stock_queries:,} queries")
        count = len(due) or 1
        table.add("queue: time per recipient", pi_time / count * 1000, stock_time / count * 1000,
                  goal="<= 1.2", unit="ms", reference_name="stock mass mailing")
        table.add("queue: queries per recipient", pi_queries / count, stock_queries / count,
                  goal="<= 1.2", unit="q", reference_name="stock mass mailing")

        sample = min(options.send_sample, len(pi_mails), len(stock_mails))
        if sample:
            pi_send = measure(env, lambda: send_sample(env, pi_mails[:sample], server))
            stock_send = measure(env, lambda: send_sample(env, stock_mails[:sample], server))
            received = smtp.received()
            tracked = sum(1 for message in received if "/mail/track/" in "".join(message.text_bodies()))
            say(f"sent {sample} of each through loopback SMTP: {len(received)} received, {tracked} with a pixel")
            table.add("send: time per e-mail", pi_send[0] / sample * 1000, stock_send[0] / sample * 1000,
                      goal="<= 1.2", unit="ms", reference_name="stock mass mailing")
            table.add("send: queries per e-mail", pi_send[1] / sample, stock_send[1] / sample,
                      goal="<= 1.2", unit="q", reference_name="stock mass mailing")
        table.print()


if __name__ == "__main__":
    main()
