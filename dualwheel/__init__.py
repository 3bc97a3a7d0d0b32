"""Helper code for the Alibaba dual-wheel drive (双轮驱动) casebook.

Modules: ``data`` (validated tables), ``metrics`` (pure calculations), ``claims`` (the
paper's claims recomputed), ``style`` and ``charts`` (one chart style), ``exhibits``
(numbered, sourced exhibits), ``whatif`` (what-ifs for kernel, static HTML and PDF),
``selfcheck`` (in-page questions).
"""

import sys

__version__ = "0.1.0"

# nbformat imports jsonschema, and jsonschema imports its optional IRI checker, rfc3987_syntax,
# which compiles a lark grammar on import: 1.3 s in every interpreter that reads a notebook (each
# `casebook` call, each test worker, each build step). nbformat's schemas use no string formats,
# so the casebook's processes go without it: jsonschema treats a module set to None as absent
# and leaves the "iri" format unchecked. Nothing changes once jsonschema is already imported.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
