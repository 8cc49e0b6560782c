from . import test_pi_bonus_rule
from . import test_pi_bonus_permission_matrix
