"""Chapter 7, Lessons for cross-border firms (战略启示): the numbers, models and charts.

The paper's section 7 draws five lessons from Alibaba's expansion abroad. This module tests
them against dated evidence (``data/lessons.csv``, ``data/lesson_evidence.csv``), lays out the
rules that bind a cross-border platform (``data/rules.csv``), sets two Chinese brands beside
Alibaba (``data/transfer_cases.csv``), and holds the chapter's two what-ifs:

* :func:`compliance_model` prices a compliance risk: the expected yearly fine against the
  yearly cost of avoiding it, with fine caps read from the rules table (GDPR 4%, DSA 6%).
* :func:`plan_model` shows which lessons bind first for a firm that is not Alibaba. It ranks
  nothing by hidden weights: each lesson's flag comes from one stated test on the firm's data.

Everything here is a pure function of the tables; charts are drawn at the edge.

The package is split by job: ``lessons`` (the five lessons, their evidence and the claims they
rest on), ``rules`` (the dated rules and fine caps), ``transfer`` (the three transfer firms),
``compliance`` (what-if 1: the expected cost of a compliance failure) and ``plan`` (what-if 2:
an entry plan for another firm). Every public name is re-exported here, so a page or a question
bank writes ``c7.evidence_matrix()`` whatever the file.
"""

from ... import style
from .compliance import *  # noqa: F403
from .lessons import *  # noqa: F403
from .plan import *  # noqa: F403
from .rules import *  # noqa: F403
from .transfer import *  # noqa: F403

style.apply()
