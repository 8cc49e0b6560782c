from . import test_pi_crm_security, test_res_partner
from . import test_pi_consultation, test_pi_scoring, test_pi_segment, test_pi_timeline
from . import test_intake_api
from . import test_pi_languages
