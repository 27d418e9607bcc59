"""``python -m helpers.sources``: suggest, accept and check rows for a source."""

import sys

from .suggest import main

sys.exit(main())
