from . import test_pi_crm_security, test_res_partner
from . import test_pi_consultation, test_pi_scoring, test_pi_segment, test_pi_timeline, test_pi_merge
from . import test_pi_email_contact, test_pi_screens
from . import test_intake_api, test_intake_schemathesis, test_intake_openapi_routes
from . import test_pi_crm_linking, test_pi_partner_rules, test_pi_internal_fields, test_pi_duplicates_access
from . import test_pi_iap_privacy, test_pi_crm_permission_matrix, test_pi_crm_upgrade
from . import test_pi_report_views
from . import test_pi_languages
from . import test_pi_sms_gateway
from . import test_pi_sent_messages
from . import test_pi_greeting
from . import test_pi_greeting_crash
from . import test_pi_intake_crash
from . import test_pi_job_status
from . import test_pi_marketing, test_pi_nurture
from . import test_pi_vn_provinces
from . import test_pi_consent
from . import test_pi_campaign
from . import test_pi_sms_marketing
