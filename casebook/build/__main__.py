"""``python -m casebook.build``: see :func:`casebook.build.main`."""

import sys

from . import main

sys.exit(main())
