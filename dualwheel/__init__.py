"""Helper code for the Alibaba dual-wheel drive (双轮驱动) casebook.

Modules: ``data`` (validated tables), ``metrics`` (pure calculations), ``claims`` (the
paper's claims recomputed), ``style`` and ``charts`` (one chart style), ``exhibits``
(numbered, sourced exhibits), ``whatif`` (what-ifs for kernel, static HTML and PDF),
``selfcheck`` (in-page questions).
"""

__version__ = "0.1.0"
