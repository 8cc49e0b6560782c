from . import test_pi_crm_security, test_res_partner
from . import test_pi_consultation, test_pi_scoring, test_pi_segment, test_pi_timeline
from . import test_intake_api
from . import test_pi_crm_linking, test_pi_partner_rules, test_pi_internal_fields, test_pi_duplicates_access
from . import test_pi_iap_privacy, test_pi_crm_permission_matrix
