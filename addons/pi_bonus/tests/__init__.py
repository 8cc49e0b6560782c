from . import test_pi_bonus_rule
from . import test_pi_bonus_permission_matrix
from . import test_pi_task
from . import test_pi_task_browser
