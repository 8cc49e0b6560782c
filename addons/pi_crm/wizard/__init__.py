from . import pi_log_call
from . import pi_lead_entry
from . import pi_integration_key_show
from . import crm_merge_opportunity
from . import mail_compose_message
from . import pi_province_update
from . import sms_composer
