from . import test_pi_crm_security, test_res_partner
