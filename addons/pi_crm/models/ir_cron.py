import logging
import time
import traceback

from odoo import api, models

_logger = logging.getLogger(__name__)

ERROR_CHARS = 4000


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model_create_multi
    def create(self, vals_list):
        crons = super().create(vals_list)
        # every job has its status row from the start: one that never runs shows as stuck
        for cron in crons:
            self.env["pi.job.status"]._pi_record_new(cron.id)
        return crons

    def _callback(self, cron_name, server_action_id):
        """The cron runner's call of one job (each batch of it): its outcome goes to
        ``pi.job.status``. A success is written in the job's transaction, so it is
        committed with the job's work or not at all; a failure is written after stock
        rolled the job's work back (the runner commits it next). A worker killed in
        between writes nothing: the job shows as stuck once its last success is old."""
        started = time.monotonic()
        try:
            result = super()._callback(cron_name, server_action_id)
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"[:ERROR_CHARS]
            self._pi_record_outcome(False, error=f"{reason}\n\n{traceback.format_exc()[-ERROR_CHARS:]}")
            raise
        self._pi_record_outcome(True, duration=time.monotonic() - started)
        return result

    def _pi_record_outcome(self, success, duration=0.0, error=None):
        """Never let the status bookkeeping break the job itself."""
        try:
            with self.env.cr.savepoint():
                self.env["pi.job.status"]._pi_record(self.id, success, duration=duration,
                                                     error=error)
        except Exception:  # pylint: disable=broad-except  # bookkeeping only: the job's own outcome stands
            _logger.warning("Could not record the outcome of job %s", self.id, exc_info=True)
