"""Run a scheduled job as a cron worker does, and break it the two ways a worker breaks.

``CronCrashMixin.run_as_worker`` calls stock's ``ir.cron._process_job`` with the registry
in test mode: each batch of the job runs in its own transaction and is committed (a
released savepoint here), the runner calls the job again while it reports work left (10
batches per run at most), and a failing batch is rolled back to the last commit, exactly
as on a server. Two ways to break it, both used through ``unittest.mock.patch``:

- ``FailAfter(n, original, error)``: a wrapper that calls ``original`` n times, then raises
  ``error`` (by default a lost database connection, ``psycopg2.OperationalError``) on every
  later call: the job fails halfway, the runner rolls back the current batch;
- ``FailAfter(n, original, WORKER_KILLED)``: the same, but on call n+1 the worker dies: no
  exception handler of the job runs (``WorkerKilled`` is a ``BaseException``) and the
  transaction is rolled back to the last commit, as PostgreSQL does when a connection drops
  (the cursor's next ``commit``, the runner's ``finally``, is turned into that rollback).

The job is then run again (``run_until_done``) and the test counts what was sent.
"""

import functools

import psycopg2

from odoo.tools import mute_logger

WORKER_KILLED = "killed"


class WorkerKilled(BaseException):
    """The worker process died (SIGKILL, out of memory, machine reset)."""


class FailAfter:
    """Calls ``original`` ``count`` times, then fails on each later call (see the module)."""

    def __init__(self, count, original, error=None):
        self.count = count
        self.original = original
        self.error = error
        self.calls = 0

    def __get__(self, record, owner=None):
        # patched onto a model class, it is a method: bound to the record it is called on
        return self if record is None else functools.partial(self, record)

    def __call__(self, record, *args, **kwargs):
        self.calls += 1
        if self.calls > self.count:
            if self.error == WORKER_KILLED:
                # what PostgreSQL does when the worker's connection drops: the open
                # transaction is gone, whatever the worker would still have done; the
                # runner's own ``finally: commit()`` becomes that rollback
                cursor = record.env.cr
                cursor.commit = cursor.rollback
                raise WorkerKilled()
            raise self.error or psycopg2.OperationalError("server closed the connection unexpectedly")
        return self.original(record, *args, **kwargs)


class CronCrashMixin:
    """For TransactionCase tests: run a cron as a worker, break it, run it again."""

    def run_as_worker(self, cron):
        """One pass of a cron worker over ``cron``; returns "done" or "killed"."""
        self.env.flush_all()
        cron.invalidate_recordset()
        job = {**cron.read(load=None)[0], "done": 0, "remaining": 0, "timed_out_counter": 0}
        self.registry.enter_test_mode(self.cr)
        outcome = "done"
        try:
            cron_cr = self.registry.cursor()
            try:
                with mute_logger("odoo.addons.base.models.ir_cron"):
                    self.registry["ir.cron"]._process_job(self.registry.db_name, cron_cr, job)
            except WorkerKilled:
                outcome = "killed"
            finally:
                cron_cr.close()
        finally:
            self.registry.leave_test_mode()
        self.env.invalidate_all()
        return outcome

    def run_until_done(self, cron, remaining, passes=10):
        """Run ``cron`` as a worker until ``remaining()`` (a callable) reports no work left."""
        for _pass in range(passes):
            if not remaining():
                return
            self.assertEqual(self.run_as_worker(cron), "done")
        self.assertFalse(remaining(), f"{cron.cron_name}: work left after {passes} runs")

    def job_status(self, cron):
        return self.env["pi.job.status"].sudo().search([("cron_id", "=", cron.id)])
