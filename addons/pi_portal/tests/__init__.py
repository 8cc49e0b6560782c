from . import test_pi_portal_access
from . import test_pi_portal_request
from . import test_pi_portal_browser
from . import test_pi_portal_security
from . import test_pi_portal_input
from . import test_pi_portal_permission_matrix
from . import test_pi_staff_browser
