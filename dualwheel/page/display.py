"""Markdown output that JupyterLab, the HTML book and the PDF all render."""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import display


def escape_dollars(text: str) -> str:
    """``$`` as ``\\$``, so MyST's dollar maths (and JupyterLab's) never reads "US$15 ... US$20"
    as a formula; a dollar already escaped stays as it is."""
    return re.sub(r"(?<!\\)\$", r"\\$", text)


def _cell(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return escape_dollars(text.replace("|", "\\|").replace("\n", " "))


def markdown_table(frame: pd.DataFrame, index: bool = False) -> str:
    """A GitHub-style pipe table (renders in JupyterLab, the HTML book and LaTeX)."""
    df = frame.reset_index() if index else frame
    header = "| " + " | ".join(_cell(c) for c in df.columns) + " |"
    rule = (
        "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(df[c]) else ":---" for c in df.columns) + "|"
    )
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def display_markdown(text: str, metadata: dict | None = None) -> None:
    """Display Markdown that Jupyter, the HTML book and the PDF all render; ``metadata`` is
    kept on the output in the executed notebook (e.g. the source ids an exhibit cites)."""
    display({"text/markdown": text, "text/plain": text}, raw=True, metadata=metadata)
