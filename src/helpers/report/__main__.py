"""``python -m helpers.report``: build the reports (what ``make report`` runs)."""

import sys

from .build import main

sys.exit(main())
