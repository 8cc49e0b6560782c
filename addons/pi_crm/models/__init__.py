from . import res_partner
from . import pi_phone_lookup_mixin
from . import pi_integration_key
from . import pi_api_call
