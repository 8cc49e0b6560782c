from . import test_intake_api, test_pi_crm_security, test_res_partner
