"""Chapter 5, The evolution path (出海战略的演化路径): events, phases and phase growth.

The paper cuts Alibaba's international history into four phases (1999-2006, 2007-2015,
2016-2023, 2024 onward). This module rebuilds that history from the book's record of moves
(``data/moves.csv``, read through :mod:`dualwheel.moves`), the other dated events
(``data/events.csv``) and the revenue tables, and lets a reader move the boundaries to see how
the story changes.

Two conventions hold throughout, because the paper mixes calendar and fiscal years:

* A phase is a run of **calendar** years; its first year is a *boundary*.
* Revenue is by Alibaba **fiscal** year (FY ends 31 March). FY ``B`` runs from April ``B-1``
  to March ``B``, so it lies mostly in calendar year ``B-1``. A phase that starts in calendar
  year ``s`` and ends in ``e`` is therefore measured from FY ``s`` (the last fiscal year
  before it) to FY ``e+1`` (the last fiscal year mostly inside it). Neighbouring phases
  share an end point, so their growth multiplies up to the growth of the whole span.

Everything here is pure (tables in, numbers or frames out) except the chart functions,
which return a matplotlib Figure and leave showing it to the page.

The package is split by job: ``phases`` (the paper's periodisation), ``events`` (the dated
events, entry modes and entry steps), ``revenue`` (the international revenue series and the
what-if model of the phases' growth), ``paper_claims`` (the section-5 claims recomputed),
``transfer`` (the Pop Mart case), ``quoted`` (numbers the prose quotes) and ``charts``. Every
public name is re-exported here, so a page or a question bank writes ``c5.events()`` whatever
the file.
"""

from ... import style
from .charts import *  # noqa: F403
from .events import *  # noqa: F403
from .paper_claims import *  # noqa: F403
from .phases import *  # noqa: F403
from .quoted import *  # noqa: F403
from .revenue import *  # noqa: F403
from .transfer import *  # noqa: F403

style.apply()
