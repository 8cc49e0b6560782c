#!/usr/bin/env python3
"""Run every benchmark of ``bench/`` and write one markdown table of ratios.

    python3 bench/run_all.py            # full size (tens of minutes on 2 cores)
    python3 bench/run_all.py --quick    # a short run: a few minutes, small sizes

Each ``bench/bench_*.py`` prints its figures through ``bench/ratio.py``: PI's figure next to
its reference, measured in the same run, the ratio and its goal. This runs them one after
the other (``--quick`` is passed to those that take it; a script without it is left out of
a quick run), collects their rows (``PI_BENCH_RATIOS``), and writes the table with the
machine and the date to ``--output`` (default: a new file in the temp directory), whose
path it prints last. Each script's own output goes to a log next to it.

PostgreSQL: the server of ``PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD`` when one answers
there, else a throwaway cluster (the test command's, ``tests/run.py``), removed at the end.
The four addons are installed once, in a template database that the scripts taking
``--template`` copy (seconds) instead of installing their own.
``--only NAME`` (repeatable) runs only the scripts whose name contains NAME. Databases are
named ``--db-prefix`` (``pi_bench``) + ``_template`` or ``_<script>``; the template is dropped
at the end, and the scripts drop their own.
"""

import argparse
import datetime
import glob
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time

from ratio import markdown, read_rows

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
# the scripts of this suite, in this order; any other bench_*.py found runs after them
ORDER = ["bench_intake.py", "bench_compute_payout.py", "bench_portal.py"]
# full size: the data at the sizes (100,000 + 100,000 records, 100,000 contracts, 50 contracts),
# request counts that keep the whole run under half an hour on 2 shared cores
FULL_ARGS = {"bench_intake.py": ["--pbx-requests", "500", "--lead-requests", "800"]}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            memory = f", {int(handle.readline().split()[1]) / 1024**2:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{socket.gethostname()}: {os.cpu_count()} CPU(s) ({cpu}){memory}, {platform.system()} {platform.release()}"


def postgres():
    """(environment for the scripts, cluster to stop or None)."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import run as test_command  # noqa: PLC0415 - the test command's throwaway cluster

    host, port = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGPORT", "5432")
    user, password = os.environ.get("PGUSER", "odoo"), os.environ.get("PGPASSWORD", "odoo")
    if os.environ.get("PGHOST") and test_command._pg_answers(host, port, user, password):
        return {}, None
    cluster = test_command.ThrowawayCluster()
    host, port, user, password = cluster.start()
    print(f"==> throwaway PostgreSQL cluster on {host}:{port}", flush=True)
    return {"PGHOST": host, "PGPORT": port, "PGUSER": user, "PGPASSWORD": password}, cluster


def scripts(only):
    found = sorted(os.path.basename(path) for path in glob.glob(os.path.join(BENCH, "bench_*.py")))
    ordered = [name for name in ORDER if name in found] + [name for name in found if name not in ORDER]
    return [name for name in ordered if not only or any(part in name for part in only)]


def takes(script, option):
    with open(os.path.join(BENCH, script), encoding="utf-8") as handle:
        return f'"{option}"' in handle.read()


def make_template(pg_env, name="pi_bench_template"):
    """A database with the four addons (no demo data), for the scripts to copy."""
    sys.path.insert(0, BENCH)
    os.environ.update(pg_env)  # benchlib reads PG* when imported
    import benchlib  # noqa: PLC0415

    benchlib.create_db(name, "pi_crm,pi_contracts,pi_portal,pi_bonus")
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: a few minutes in all")
    parser.add_argument("--only", action="append", default=[], help="run only the scripts whose name has this")
    parser.add_argument("--output", help="markdown file to write (default: a new file in the temp directory)")
    parser.add_argument("--no-template", action="store_true",
                        help="each script installs its own database instead of copying the template")
    parser.add_argument("--db-prefix", default="pi_bench",
                        help="names of the databases: PREFIX_template, PREFIX_<script> (one's own on a shared server)")
    args = parser.parse_args()

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    output = args.output or os.path.join(tempfile.gettempdir(), f"pi-bench-{'quick-' if args.quick else ''}{stamp}.md")
    rows_path = output + ".rows.jsonl"
    if os.path.exists(rows_path):
        os.remove(rows_path)
    head = git_head()  # the code measured: the commit at the start
    pg_env, cluster = postgres()
    runs = []
    started_all = time.monotonic()
    template = None
    try:
        selected = scripts(args.only)
        # the four addons installed once; the scripts that can start from a copy of it do
        if not args.no_template and any(takes(script, "--template") for script in selected):
            template = make_template(pg_env, f"{args.db_prefix}_template")
        for script in selected:
            command = [sys.executable, os.path.join(BENCH, script)]
            if args.quick:
                if not takes(script, "--quick"):
                    runs.append((script, "skipped (no --quick)", 0.0, ""))
                    continue
                command.append("--quick")
            else:
                command += FULL_ARGS.get(script, [])
            if takes(script, "--port"):
                command += ["--port", str(free_port())]
            if template and takes(script, "--template"):
                command += ["--template", template]
            if takes(script, "--db"):
                command += ["--db", f"{args.db_prefix}_{script[len('bench_'):-len('.py')]}"]
            if script == "bench_compute_payout.py":
                command += ["--drop"]
            log = f"{output[:-3]}-{script[:-3]}.log"
            print(f"==> {' '.join(command[1:])} (log: {log})", flush=True)
            started = time.monotonic()
            with open(log, "w", encoding="utf-8") as handle:
                code = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT, check=False,
                                      env=dict(os.environ, **pg_env, PI_BENCH_RATIOS=rows_path)).returncode
            elapsed = time.monotonic() - started
            runs.append((script, "ok" if code == 0 else f"FAILED (exit {code})", elapsed, log))
            print(f"    {runs[-1][1]} in {elapsed:.0f} s", flush=True)
    finally:
        if template:
            import benchlib  # noqa: PLC0415 - imported by make_template, with the PG* of pg_env

            benchlib.drop_db(template)
        if cluster:
            cluster.stop()

    rows = read_rows(rows_path)
    lines = [
        f"# PI benchmarks as ratios ({'quick run' if args.quick else 'full size'})",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"{time.monotonic() - started_all:.0f} s in all",
        f"- machine: {machine()}",
        f"- commit: {head}",
        "",
        markdown(rows, with_section=True),
        "",
    ]
    missed = [row for row in rows if row["met"] is False]
    lines.append("Goals not met: " + ("none." if not missed else "; ".join(
        f"{row['figure']} ({row['ratio']:.2f}×, goal {row['goal'].replace('<=', '≤').replace('>=', '≥')}×)"
        if row["ratio"] is not None
        else f"{row['figure']} (no figure)" for row in missed) + "."))
    lines += ["", "| script | outcome | time |", "|---|---|---|"]
    lines += [f"| {script} | {outcome} | {elapsed:.0f} s |" for script, outcome, elapsed, _log in runs]
    with open(output, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(output)
    return 0 if all(outcome in ("ok",) or outcome.startswith("skipped") for _s, outcome, _e, _l in runs) else 1


def git_head():
    result = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], capture_output=True, text=True,
                            check=False)
    return result.stdout.strip() or "?"


if __name__ == "__main__":
    sys.exit(main())
