"""``python -m pipeline`` is the ``archivio`` command."""

import sys

from .cli import main

sys.exit(main())
