from . import pi_investment_contract
from . import pi_investment_statement
from . import pi_portal_request
from . import res_config_settings
from . import res_partner
