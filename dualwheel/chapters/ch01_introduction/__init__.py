"""Chapter 1 (Introduction, 引言): market size, its vintages, the rivals' models, and the
landed cost of one order under a de-minimis rule.

Everything the chapter shows is computed here from ``data/`` tables added by the chapter
(``cbec_customs``, ``goods_trade``, ``market_sizes``, ``rival_revenue``, ``platform_models``,
``low_value_parcels``) plus Alibaba's segment table and Chapter 7's dated ``rules``. The functions are pure: they read tables
and return numbers or small frames. Charts sit at the end, and the what-if model (a pure
function of its sliders) just before them.

Two habits run through the module, because they are the chapter's lessons:

* a market size always carries its *definition* (customs value, industry transaction scale,
  global B2C) and its *vintage* (first, revised, later): functions take both explicitly;
* calendar years (customs, PDD) and Alibaba's fiscal years (ending 31 March) are never set
  side by side without the dates of each period.

The package is split by job: ``market`` (the customs series, its vintages and the three sizes of
the market, with their chart), ``rivals`` (the platforms' business models and the rivals'
calendars, with the growth chart), ``paper_claims`` (the section-1 claims recomputed) and
``landed_cost`` (the dated rules and the what-if model of one order's landed cost). Every public
name is re-exported here, so a page or a question bank writes ``c1.share_of_trade(2024)``
whatever the file.
"""

from ... import style
from .landed_cost import *  # noqa: F403
from .market import *  # noqa: F403
from .paper_claims import *  # noqa: F403
from .rivals import *  # noqa: F403

style.apply()
