from . import test_pi_bonus_rule
