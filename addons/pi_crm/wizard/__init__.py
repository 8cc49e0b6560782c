from . import pi_log_call
from . import pi_lead_entry
from . import pi_integration_key_show
from . import crm_merge_opportunity
from . import sms_composer
