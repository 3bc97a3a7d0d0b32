"""Chapter 5: the transfer case (Pop Mart's revenue outside mainland China)."""

from __future__ import annotations

import pandas as pd

from ... import data

# ----------------------------------------------------------------------------- transfer case


def popmart_shares() -> pd.DataFrame:
    """Pop Mart's revenue outside mainland China as a share of revenue, by period, from
    ``transfer_cases.csv`` (Chapter 7's table): computed from revenue where both amounts are
    there, else the share as reported. Columns: period, share_pct, how ('computed' or
    'reported'), rounded (True where the reported share is a round figure, as 2022's 10%)."""
    t = data.load("transfer_cases")
    t = t[t["firm"] == "Pop Mart"]
    val = t.set_index(["indicator", "period"])["value"].astype(float)
    periods = sorted(set(t["period"]), key=lambda p: (int(p[-4:]), 0 if p.startswith("H1") else 1))
    rows = []
    for p in periods:
        if ("revenue", p) in val and ("revenue_outside_mainland", p) in val:
            share = 100 * val["revenue_outside_mainland", p] / val["revenue", p]
            rows.append({"period": p, "share_pct": share, "how": "computed", "rounded": False})
        elif ("share_outside_mainland", p) in val:
            note = t[(t["indicator"] == "share_outside_mainland") & (t["period"] == p)]["note"].iloc[0] or ""
            rows.append(
                {
                    "period": p,
                    "share_pct": float(val["share_outside_mainland", p]),
                    "how": "reported",
                    "rounded": note.lower().startswith("rounded"),
                }
            )
    return pd.DataFrame(rows)


def popmart_share(period: str) -> float:
    """One period's share (percent) from :func:`popmart_shares`; KeyError naming the periods held."""
    t = popmart_shares().set_index("period")["share_pct"]
    if period not in t.index:
        raise KeyError(f"no Pop Mart share for {period!r}; data/ has {list(t.index)}")
    return float(t[period])
