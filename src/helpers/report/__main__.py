"""``python -m helpers.report``: build the reports (what ``make report`` runs)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
