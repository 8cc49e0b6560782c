from . import test_pi_bonus_rule
from . import test_pi_bonus_permission_matrix
from . import test_pi_task
from . import test_pi_task_browser
from . import test_pi_bonus_line
from . import test_pi_bonus_statement
from . import test_pi_bonus_crash
