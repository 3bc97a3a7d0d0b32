"""Chapter 6, Implementation results (战略实施效果): the segment table reconciled, AIDC's
retail/wholesale split, Cainiao's reporting scopes and the paper's 34.8% CAGR, the fiscal
calendar, and the revenue-mix scenario.

Everything Chapter 6 computes lives here; the page makes short calls. The package is split by
job: ``structure`` (the segment table, its shares, growth and profit, and the section-6.1
claims), ``cagr`` (Cainiao's growth rate: the explorer, the variants and the claim's check) and
``mix`` (the revenue-mix what-if, kept for other pages), ``funding`` (AIDC's last quarters and what its losses drew from
the group), ``breakeven`` (the funding what-if:
the growth and margin path to break-even by the budget's end). Every public name is re-exported here, so a page or a
question bank writes ``c6.cainiao_cagr(...)`` whatever the file.
"""

from .breakeven import *  # noqa: F403
from .businesses import *  # noqa: F403
from .cagr import *  # noqa: F403
from .funding import *  # noqa: F403
from .mix import *  # noqa: F403
from .structure import *  # noqa: F403
