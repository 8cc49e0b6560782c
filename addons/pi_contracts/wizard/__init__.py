from . import pi_contract_wizard_mixin
from . import pi_contract_settle
from . import pi_contract_renew
from . import pi_contract_export
from . import mail_activity_schedule
