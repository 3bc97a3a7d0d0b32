"""Chapter 4, Strategic drivers (战略驱动因素): theories of market entry tested on dated entries.

The paper explains where Alibaba went abroad with four theories (Uppsala, OLI, Blue Ocean,
institutional theory). This package turns those explanations into something that can fail:

* distances between China and each market, measured four ways (geographic, cultural with a
  Kogut-Singh index on Hofstede's scores, economic, digital);
* the order in which Alibaba actually made its first local commitment in each market;
* a scoring model whose weights stand for a theory, and the Spearman rank correlation between
  the ranking it implies and the actual order of entry.

The package is split by job: ``distances`` (Hofstede, Kogut-Singh, the market indicators),
``entry_rule`` (the dated moves and the chapter's rule for entry), ``ranking`` (the market table,
the ranking model, the presets and the grid of weightings), ``charts`` (charts and the
what-if's readout) and ``evidence`` (the paper's claims, mode against distance, the theory
matrix). Every public name is re-exported here, so a page or a question bank writes
``c4.kogut_singh("IDN")`` whatever the file.

Every function is pure: tables in, frames or numbers out. Charts are built at the edge.
"""

from .charts import *  # noqa: F403
from .distances import *  # noqa: F403
from .entry_rule import *  # noqa: F403
from .evidence import *  # noqa: F403
from .ranking import *  # noqa: F403
