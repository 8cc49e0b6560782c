"""Put each addon's ``tools`` folder on ``sys.path``.

The pure modules import nothing from odoo; importing them as ``pi_crm.tools.x``
would run the addon's ``__init__`` and so need odoo. Their file names are
unique across the suite, so they can share one flat namespace here.
"""

import pathlib
import sys

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
for tools_dir in sorted(ADDONS.glob("*/tools")):
    if str(tools_dir) not in sys.path:
        sys.path.insert(0, str(tools_dir))
