from . import pi_task_done
from . import pi_sales_summary
