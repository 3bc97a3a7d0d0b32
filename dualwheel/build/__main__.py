"""``python -m dualwheel.build``: see :func:`dualwheel.build.main`."""

import sys

from . import main

sys.exit(main())
