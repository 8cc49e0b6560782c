from . import pi_bonus_rule
