"""``python -m helpers.sources {add,suggest,accept,check}`` (see :mod:`helpers.sources.cli`)."""

import os
import sys

from .cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:
    # The reader closed the pipe (``… | head``): stop quietly, as command-line tools do,
    # and keep Python from complaining again when it flushes stdout at exit.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 1
sys.exit(code)
