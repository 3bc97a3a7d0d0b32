"""What a chapter page calls: :class:`Chapter` (exhibits, glue, self-checks), and the what-if
API (:class:`WhatIf`, :class:`Param`, :class:`Choice`) that works in a live kernel, in the
static HTML book and in the PDF."""

from .chapter import Chapter
from .whatif import Choice, Param, WhatIf, WhatIfInputError

__all__ = ["Chapter", "Choice", "Param", "WhatIf", "WhatIfInputError"]
