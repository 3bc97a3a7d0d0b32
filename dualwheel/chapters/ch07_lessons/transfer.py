"""Chapter 7: the transfer firms (Pop Mart, Anker, a mid-sized exporter) beside Alibaba."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ... import data, segments, style
from ...fmt import fy

# --------------------------------------------------------------------------- transfer cases


def transfer_value(firm: str, indicator: str, period: str) -> float:
    """One figure from the transfer-case table.

    Raises:
        KeyError: the firm, indicator or period is not in ``data/transfer_cases.csv``.
    """
    t = data.load("transfer_cases")
    hit = t[(t["firm"] == firm) & (t["indicator"] == indicator) & (t["period"] == str(period))]
    if hit.empty:
        raise KeyError(f"no {indicator!r} for {firm} in {period} in data/transfer_cases.csv")
    return float(hit["value"].iloc[0])


#: The last calendar year of Pop Mart's results public by the decision date (30 June 2024):
#: its 2023 annual results came out in March 2024.
POP_MART_LAST_YEAR = 2023

#: Anker's latest figures public by the decision date: its H1 2023 report (August 2023).
ANKER_PERIOD = "H1 2023"


def pop_mart_outside_share(last_year: int = POP_MART_LAST_YEAR) -> pd.DataFrame:
    """Pop Mart's revenue outside mainland China as a share of revenue, 2021 to ``last_year``.

    2021 and 2022 are shares as reported (2022 rounded by the source); later years are computed
    here from revenue figures, so the two kinds are labelled.
    """
    rows = []
    for year in ("2021", "2022"):
        rows.append(
            {
                "year": int(year),
                "share_pct": transfer_value("Pop Mart", "share_outside_mainland", year),
                "how": "reported",
            }
        )
    for year in [str(y) for y in range(2023, last_year + 1)]:
        outside = transfer_value("Pop Mart", "revenue_outside_mainland", year)
        total = transfer_value("Pop Mart", "revenue", year)
        rows.append({"year": int(year), "share_pct": 100 * outside / total, "how": "computed"})
    return pd.DataFrame(rows)


def anker_abroad_share() -> float:
    """Anker's share of revenue outside mainland China (percent) in :data:`ANKER_PERIOD`."""
    return transfer_value("Anker", "share_outside_mainland", ANKER_PERIOD)


#: Why Alibaba has no row figure in Exhibit 7.7 (issue 21): AIDC's share of group revenue is a
#: segment share, not a geographic one, so it does not compare with Pop Mart's or Anker's.
ALIBABA_NOT_GEOGRAPHIC = (
    "not found: Alibaba's filings used here give no revenue by customer location. AIDC's {share:.1f}% of "
    "group revenue ({year}) is a segment share, not a share abroad: it includes Alibaba.com's fees from "
    "Chinese exporters and sales to other Alibaba units, and leaves out Cloud's customers abroad"
)


def three_firms() -> pd.DataFrame:
    """Exhibit: Pop Mart and Anker on the share of revenue earned outside mainland China, and
    Alibaba, for which no comparable figure was found.

    Pop Mart counts Hong Kong, Macao and Taiwan as outside the mainland; Anker's is 100 minus
    its mainland-China share. Alibaba's row carries no share (``abroad_pct`` is NaN): AIDC's
    share of group revenue is a segment share (it includes fees paid by Chinese exporters and
    sales to other Alibaba units), so putting it in this column would compare unlike things.
    """
    pm = pop_mart_outside_share().set_index("year")["share_pct"]
    last = POP_MART_LAST_YEAR
    anker_abroad = anker_abroad_share()
    aidc_share = 100 * segments.share("aidc_total", 2024)
    return pd.DataFrame(
        [
            {
                "firm": "Pop Mart",
                "early": f"{pm[2021]:.1f}% (2021)",
                "latest": f"{pm[last]:.1f}% ({last})",
                "abroad_pct": pm[last],
                "how it went abroad": "own stores and online sales abroad; no marketplace of its own",
            },
            {
                "firm": "Anker",
                "early": "not found",
                "latest": f"{anker_abroad:.1f}% ({ANKER_PERIOD})",
                "abroad_pct": anker_abroad,
                "how it went abroad": (
                    "brand sold through others' marketplaces and its own sites; the share through Amazon "
                    "was not read in a source public by the decision date"
                ),
            },
            {
                "firm": "Alibaba",
                "early": "not found",
                "latest": ALIBABA_NOT_GEOGRAPHIC.format(share=aidc_share, year=fy(2024)),
                "abroad_pct": float("nan"),
                "how it went abroad": "own platforms and acquisitions; own logistics, payments (affiliate) and cloud",
            },
        ]
    )


def transfer_chart() -> Figure:
    """Share of revenue earned outside mainland China: Pop Mart's path and Anker's level, as
    public at the decision date.

    Alibaba is left off: no geographic share was found, and AIDC's segment share is not one."""
    pm = pop_mart_outside_share()
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    ax.plot(
        pm["year"],
        pm["share_pct"],
        marker="o",
        color=style.COLOURS["scenario"],
        label="Pop Mart (calendar years)",
    )
    for r in pm.itertuples():
        ax.annotate(
            f"{r.share_pct:.1f}%" + (" (rounded)" if r.year == 2022 else ""),
            (r.year, r.share_pct),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=8,
        )
    anker = anker_abroad_share()
    ax.axhline(anker, color=style.COLOURS["cloud"], ls="--", lw=1.2)
    ax.text(
        2021.0,
        anker - 7,
        f"Anker: outside mainland China, {ANKER_PERIOD}: {anker:.1f}%",
        fontsize=8,
        color=style.COLOURS["cloud"],
    )
    ax.set_ylim(0, 105)
    ax.set_xticks(pm["year"])
    ax.set_ylabel("% of revenue outside mainland China")
    ax.set_title("How much of the business is abroad?")
    ax.legend(loc="center right")
    return fig
