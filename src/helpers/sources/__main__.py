"""``python -m helpers.sources {add,suggest,accept,check}`` (see :mod:`helpers.sources.cli`)."""

import sys

from .cli import main

sys.exit(main())
