"""``python -m dualwheel.publish``: see :func:`dualwheel.publish.main`."""

import sys

from . import main

sys.exit(main())
