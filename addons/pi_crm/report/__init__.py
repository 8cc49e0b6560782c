from . import pi_timeline
