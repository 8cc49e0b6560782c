from . import intake
from . import sms_dlr
from . import consent_optout
