from . import test_pi_investment_contract
from . import test_pi_contract_wizards
from . import test_pi_contract_expiry
from . import test_pi_contracts_security
from . import test_pi_contract_documents
from . import test_pi_partner_segment
from . import test_pi_financial_policy_menu
