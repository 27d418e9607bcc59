"""``python -m helpers.report``: build the reports (what ``make report`` runs)."""

import sys

from .cli import main

# The guard matters: worker processes are spawned, and import this module again.
if __name__ == "__main__":
    sys.exit(main())
