"""``python -m pipeline`` is the ``archivio`` command."""

import sys

from .prestart import main

sys.exit(main())
