#!/usr/bin/env python3
"""Benchmark: a weekly statement run for 10,000 investors (not a test: figures to read).

    PGHOST=127.0.0.1 PGPORT=5432 PGUSER=odoo PGPASSWORD=odoo python3 bench/bench_statements.py

1. creates its own database (``--db``, default ``pi_bench_statements``) with
   pi_contracts and no demo data; ``--investors`` investors (10,000) with an
   e-mail and a mobile, statements by e-mail and SMS, each with 1–3 active
   contracts (partners by batched ``create``, contracts by one SQL statement);
2. starts Odoo's HTTP server on loopback in this process (wkhtmltopdf loads the
   report's styles and fonts from it, as on a server) and warms it up;
3. times a weekly ``pi.statement.run`` sent the way PI sends it: "Gửi ngay"
   (``action_send()``) sends the first few statements and hands the rest to
   the statements job, which this process runs as an Odoo cron worker does
   (``ir.cron._process_jobs``: one transaction per batch of the job, committed
   after it, the job called again while it reports work left; the other jobs
   are switched off, so no e-mail or SMS leaves the machine): every statement
   with its lines, its PDF (many statements per wkhtmltopdf call, printed and
   cut per statement in a background process, ``tools/pdf_pages.py``, while
   this process makes the batch's e-mails and SMS:
   ``ir.actions.report._pi_start_pdf_pages``), its e-mail and SMS queued
   and posted on the investor; checks each investor got exactly one of each;
   prints statements per second, CPU per statement (this process; its child
   processes, "wkhtmltopdf": wkhtmltopdf and the cutting of its PDFs; the
   PostgreSQL server) and, with ``--profile``, where the time went (this
   process only: the background printing is not in it);
4. does the same for ``--sample`` investors (200) the naive way, one
   ``_render_qweb_pdf`` and one ``send_mail`` per investor (rolled back), and
   prints the ratio;
5. prints the figures as ratios against their references (``bench/ratio.py``):
   time per statement against the naive way's, the run against the budget of
   10 minutes per 10,000 investors;
6. drops the database (``--keep-db`` to keep it).

Targets: the run in under 10 minutes on a 2-core machine, ratio >= 5. The
PostgreSQL server's CPU is that of all its processes: use a server of your own.
Options: ``--quick`` (300 investors, 30 the naive way), ``--investors N``, ``--sample N``, ``--chunk N`` (statements per
engine batch and wkhtmltopdf call), ``--profile`` (where the run's time goes,
cProfile, whose overhead is then in the figures), ``--db NAME``, ``--keep-db``,
``--port N``.
"""

import argparse
import contextlib
import cProfile
import datetime
import io
import pstats
import resource
import time

import benchlib
import psutil
from benchlib import drop_db, say
from ratio import RatioTable

PROFILE_FILE = "/tmp/bench_statements.prof"
DATE_TO = datetime.date(2026, 11, 29)  # a Sunday: the week 23/11–29/11/2026
STATEMENT_TEMPLATE = "pi_contracts.mail_template_investment_statement"
STATEMENT_REPORT = "pi_contracts.action_report_investment_statement"


def odoo_args(db, port):
    """benchlib's options, plus the HTTP server wkhtmltopdf loads the report's styles from."""
    return benchlib.odoo_args(db) + [
        # not wkhtmltopdf's word on each call
        "--log-handler", "odoo.addons.base.models.ir_actions_report:ERROR",
        "--http-interface", "127.0.0.1", "--http-port", str(port),
    ]


def create_db(db):
    benchlib.create_db(db, "pi_contracts")


def populate(env, investors):
    """``investors`` investors by e-mail and SMS with 1–3 active contracts each; returns the contract count."""
    from odoo import SUPERUSER_ID  # noqa: PLC0415

    started = time.perf_counter()
    Product = env["pi.investment.product"]
    products = Product.create([
        {"name": "Bench BCC 12", "code": "BENCH-BCC", "term_months": 12},
        {"name": "Bench BCC 24", "code": "BENCH-BCC24", "term_months": 24},
    ])
    launch = datetime.date(2025, 1, 5)
    env["pi.product.performance"].create([
        {"product_id": product.id, "date": launch + datetime.timedelta(weeks=week),
         "nav_index": round(1 + (0.0025 if index == 0 else 0.0012) * week, 6)}
        for index, product in enumerate(products) for week in range(100)
    ])
    lang = "vi_VN" if env["res.lang"]._get_code("vi_VN") else "en_US"
    partner_ids = benchlib.create_customers(env, investors, "investor", lambda index: {
        "mobile": f"+8490{index:07d}", "lang": lang,
        "pi_statement_channel": "both", "pi_statement_frequency": "weekly"})
    partners_done = time.perf_counter()
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO pi_investment_contract
            (name, company_id, currency_id, partner_id, product_id, product_kind, user_id, state,
             principal, date_start, term_months, date_end, base_rate, fee_rate,
             create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || partner.ord || '/' || n, %(company)s, %(currency)s, partner.id,
               CASE WHEN n = 2 THEN %(p1)s ELSE %(p0)s END, 'bcc', %(uid)s, 'active',
               100000000 + ((partner.ord * 7 + n) %% 50) * 10000000,
               DATE '2025-12-01' + ((partner.ord + n * 31) %% 300)::int,
               CASE WHEN n = 2 THEN 24 ELSE 12 END,
               DATE '2025-12-01' + ((partner.ord + n * 31) %% 300)::int
                   + CASE WHEN n = 2 THEN INTERVAL '24 months' ELSE INTERVAL '12 months' END,
               6, CASE WHEN partner.ord %% 3 = 0 THEN 10 ELSE 20 END,
               %(uid)s, %(uid)s, now(), now()
          FROM unnest(%(partners)s::int[]) WITH ORDINALITY AS partner(id, ord)
          JOIN generate_series(1, 3) AS n ON n <= 1 + partner.ord %% 3
        """,
        {"company": env.company.id, "currency": env.ref("base.VND").id, "p0": products[0].id,
         "p1": products[1].id, "uid": SUPERUSER_ID, "partners": partner_ids})
    contracts = env.cr.rowcount
    say(f"{investors:,} investors (batched create, {partners_done - started:.1f} s) and {contracts:,} active "
        f"contracts (one INSERT, {time.perf_counter() - partners_done:.1f} s)")
    return contracts


def cpu_now(pg_pid):
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"odoo": own.ru_utime + own.ru_stime, "wkhtmltopdf": children.ru_utime + children.ru_stime,
            "postgresql": postgresql_cpu(pg_pid)}


def postgresql_cpu(postmaster):
    """CPU of the PostgreSQL server: its backends (all this run's connections) and those already gone."""
    if not postmaster:
        return 0.0
    server = psutil.Process(postmaster)
    times = server.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in server.children():
        with contextlib.suppress(psutil.Error):
            child_times = child.cpu_times()
            total += child_times.user + child_times.system
    return total


def cpu_since(before, pg_pid):
    after = cpu_now(pg_pid)
    return {key: after[key] - before[key] for key in after}


def postmaster_pid(cr):
    """The PostgreSQL server's main process when it runs on this machine (its CPU is counted), else None.
    Use a server of your own for the figures: other databases' work on it is counted too."""
    cr.execute("SELECT pg_backend_pid()")
    pid = cr.fetchone()[0]
    try:
        return psutil.Process(pid).parent().pid
    except (psutil.Error, OSError, AttributeError):
        return None  # PostgreSQL on another machine or user: its CPU is not counted


def print_profile(profile, top=18):
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    stats.sort_stats("cumulative").print_stats(top)
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    say("where the run's time went (cumulative, this process; wkhtmltopdf waits count in the renderer):")
    for line in lines[-top - 1:]:
        print("    " + line[:170])


def run_job(registry, profile, chunk):
    """A weekly run sent the way PI sends it: "Gửi ngay" (``action_send``) sends the first few statements and
    hands the rest to the statements job, which this process then runs as an Odoo cron worker does
    (``ir.cron._process_jobs``: batches of the job, a commit after each, the job called again while it
    reports work left); ``chunk`` statements per engine batch (and per wkhtmltopdf call).

    Returns the run's id, the wall time, the CPU used and the number of job calls (transactions)."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    from odoo.addons.base.models.ir_cron import ir_cron  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("pi_contracts.statement_batch_size", str(chunk))
        job_id = env.ref("pi_contracts.ir_cron_pi_statement_send").id
        # the statements job alone: the mail and SMS queues would send (nothing leaves the machine)
        env["ir.cron"].search([("id", "!=", job_id)]).write({"active": False})
        run = env["pi.statement.run"].create({"period": "weekly", "date_to": DATE_TO})
        cr.commit()
        pg_pid = postmaster_pid(cr)
        cpu_before = cpu_now(pg_pid)
        started = time.perf_counter()
        if profile:
            profile.enable()
        run.action_send()
        cr.commit()
        run_id = run.id
    calls = 0
    while True:
        # what a cron worker does when it wakes up: every job ready (ours, triggered by the button)
        ir_cron._process_jobs(registry.db_name)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            calls = env["ir.cron.progress"].search_count([("cron_id", "=", job_id)])
            if env["pi.statement.run"].browse(run_id).state == "done" or not env["ir.cron"]._get_all_ready_jobs(cr):
                break
    if profile:
        profile.disable()
    elapsed = time.perf_counter() - started
    return run_id, elapsed, cpu_since(cpu_before, pg_pid), calls


def run_naive(env, statements):
    """The naive way for ``statements``' investors: one ``_render_qweb_pdf`` and one ``send_mail`` each."""
    report = env.ref(STATEMENT_REPORT)
    template = env.ref(STATEMENT_TEMPLATE)
    pg_pid = postmaster_pid(env.cr)
    cpu_before = cpu_now(pg_pid)
    started = time.perf_counter()
    Report = env["ir.actions.report"]
    for statement in statements:
        pdf = Report._render_qweb_pdf(report, [statement.id])[0]
        attachment = env["ir.attachment"].create({
            "name": f"{statement.name}.pdf", "raw": pdf, "res_model": statement._name, "res_id": statement.id,
            "mimetype": "application/pdf"})
        template.send_mail(statement.id, email_values={"attachment_ids": [(4, attachment.id)],
                                                      "recipient_ids": [(4, statement.partner_id.id)]})
    env.flush_all()
    return time.perf_counter() - started, cpu_since(cpu_before, pg_pid)


def report_figures(label, count, elapsed, cpu):
    total_cpu = sum(cpu.values())
    say(f"{label}: {count:,} statements in {elapsed:.1f} s = {elapsed / 60:.2f} min, "
        f"{count / elapsed:.1f} statements/s")
    print(f"    CPU per statement: {total_cpu / count * 1000:.1f} ms (Odoo {cpu['odoo'] / count * 1000:.1f}, "
          f"wkhtmltopdf {cpu['wkhtmltopdf'] / count * 1000:.1f}, PostgreSQL {cpu['postgresql'] / count * 1000:.1f}); "
          f"wall / CPU {elapsed / total_cpu:.2f} (above 1: waiting, or the machine busy with others)")
    # One Odoo process works one statement after the other: its CPU bounds the run on an idle machine.
    print(f"    10,000 statements at this CPU cost: {total_cpu / count * 10_000 / 60:.1f} min of CPU")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="pi_bench_statements")
    parser.add_argument("--investors", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=0,
                        help="statements per engine batch and wkhtmltopdf call (0: the renderer's default)")
    parser.add_argument("--port", type=int, default=8397)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="profile the run (cProfile; its overhead is in the figures then)")
    parser.add_argument("--quick", action="store_true", help="a short run: 300 investors, naive way on 30")
    options = parser.parse_args()
    if options.quick:
        options.investors, options.sample = min(options.investors, 300), min(options.sample, 30)
    create_db(options.db)
    try:
        bench(options)
    finally:
        if not options.keep_db:
            say(f"dropping {options.db}")
            drop_db(options.db)


def bench(options):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.service.server import ThreadedServer  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_args(options.db, options.port))
    from odoo.addons.pi_contracts.models import ir_actions_report  # noqa: PLC0415 - once the addons path is set

    if options.chunk:
        ir_actions_report.PDF_CHUNK_SIZE = options.chunk
    registry = odoo.modules.registry.Registry(options.db)
    ThreadedServer(odoo.http.root).http_spawn()
    base_url = f"http://127.0.0.1:{options.port}"
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("web.base.url", base_url)
        env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
        contracts = populate(env, options.investors)
        cr.commit()
        # Warm-up: the report's assets are built and served once, as on a running server.
        probe = env["pi.investment.contract"].search([], limit=1)
        env["ir.actions.report"]._render_qweb_pdf("pi_contracts.report_pi_contract_document", probe.ids)
        cr.commit()

        say(f"weekly run for {options.investors:,} investors ({contracts:,} contracts), "
            f"{ir_actions_report.PDF_CHUNK_SIZE} statements per wkhtmltopdf call, sent by the statements job")
    profile = cProfile.Profile() if options.profile else None
    run_id, elapsed, cpu, calls = run_job(registry, profile, ir_actions_report.PDF_CHUNK_SIZE)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        statements = env["pi.statement.run"].browse(run_id).statement_ids
        count = check_outcome(env, statements, options.investors)
        report_figures(f"run (Gửi ngay, then the job: {calls} calls, a commit after each)", count, elapsed, cpu)
        if profile:
            print_profile(profile)
            profile.dump_stats(PROFILE_FILE)
            say(f"profile of the run: {PROFILE_FILE} (python3 -m pstats)")

        sample = statements[:options.sample]
        say(f"naive way on {len(sample)} investors: one _render_qweb_pdf and one send_mail each")
        naive_elapsed, naive_cpu = run_naive(env, sample)
        report_figures("naive", len(sample), naive_elapsed, naive_cpu)
        cr.rollback()

    table = RatioTable("Investment statements")
    per_statement, naive_per_statement = elapsed / count, naive_elapsed / len(sample)
    table.add("wall time per statement", per_statement * 1000, naive_per_statement * 1000, goal=">= 5",
              unit="ms", ratio="ref/pi", reference_name=f"naive, {len(sample)} investors")
    table.add("CPU per statement", sum(cpu.values()) / count * 1000, sum(naive_cpu.values()) / len(sample) * 1000,
              unit="ms", ratio="ref/pi", reference_name="naive")
    budget = 600 * count / 10_000
    table.add(f"run of {count:,} investors", elapsed, budget, goal="<= 1", unit="s",
              reference_name="10 min per 10,000 investors")
    say(f"PI {elapsed:.1f} s | reference {budget:.1f} s (10 min per 10,000) | ratio {elapsed / budget:.2f}")
    say(f"PI {per_statement * 1000:.1f} ms | reference {naive_per_statement * 1000:.1f} ms (naive) | "
        f"ratio {naive_per_statement / per_statement:.1f}x faster")
    table.print()


def check_outcome(env, statements, investors):
    """Each investor once: one statement, one e-mail queued with the PDF, one SMS queued. Returns the count."""
    states = {state: len(statements.filtered(lambda s, state=state: s.state == state))
              for state in set(statements.mapped("state"))}
    mails = env["mail.mail"].search([("mail_message_id", "in", statements.mail_message_id.ids)])
    sms = env["sms.sms"].search_count([("state", "=", "outgoing"),
                                       ("mail_message_id", "in", statements.sms_message_id.ids)])
    with_pdf = len(statements.filtered("attachment_id"))
    mails_with_pdf = len(mails.filtered("attachment_ids"))
    say(f"statements {len(statements):,} {states}, with PDF {with_pdf:,}, e-mails queued {len(mails):,} "
        f"({mails_with_pdf:,} with the PDF), SMS queued {sms:,}")
    expected = (investors,) * 5
    if (len(set(statements.partner_id.ids)), len(statements), len(mails), mails_with_pdf, sms) != expected:
        say("WARNING: not exactly one statement, one e-mail with its PDF and one SMS per investor")
    return len(statements)


if __name__ == "__main__":
    main()
