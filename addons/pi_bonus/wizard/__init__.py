from . import pi_task_done
