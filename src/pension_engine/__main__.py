"""Entry point of ``python -m pension_engine``."""

import sys

from pension_engine.cli import main

sys.exit(main())
