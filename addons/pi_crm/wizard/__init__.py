from . import pi_integration_key_show
