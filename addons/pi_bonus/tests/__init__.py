from . import test_pi_bonus_rule
from . import test_pi_bonus_permission_matrix
from . import test_pi_task
from . import test_pi_task_browser
from . import test_pi_kpi
from . import test_pi_sales_summary
from . import test_pi_dashboard
from . import test_pi_dashboard_browser
