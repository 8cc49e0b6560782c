from . import pi_task_done
from . import pi_bonus_line_correct
from . import pi_bonus_statement_generate
from . import pi_sales_summary
