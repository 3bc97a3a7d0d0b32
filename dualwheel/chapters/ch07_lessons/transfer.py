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


def pop_mart_outside_share() -> pd.DataFrame:
    """Pop Mart's revenue outside mainland China as a share of revenue, 2021-2024.

    2021 and 2022 are shares as reported (2022 rounded by the source); 2023 and 2024 are
    computed here from revenue figures, so the two kinds are labelled.
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
    for year in ("2023", "2024"):
        outside = transfer_value("Pop Mart", "revenue_outside_mainland", year)
        total = transfer_value("Pop Mart", "revenue", year)
        rows.append({"year": int(year), "share_pct": 100 * outside / total, "how": "computed"})
    return pd.DataFrame(rows)


def pop_mart_outside_2022() -> float:
    """Pop Mart's 2022 revenue outside the mainland (RMB bn), derived from 2023 and its growth."""
    return transfer_value("Pop Mart", "revenue_outside_mainland", "2023") / (
        1 + transfer_value("Pop Mart", "growth_outside_mainland", "2023") / 100
    )


def anker_regions() -> pd.DataFrame:
    """Anker's H1 2024 revenue by region (percent), largest first."""
    t = data.load("transfer_cases")
    t = t[(t["firm"] == "Anker") & t["indicator"].str.startswith("region_")]
    t = t.assign(region=t["indicator"].str.removeprefix("region_").str.replace("_", " "))
    return (
        t[["region", "value"]]
        .rename(columns={"value": "share_pct"})
        .sort_values("share_pct", ascending=False)
    )


def three_firms() -> pd.DataFrame:
    """Exhibit: Alibaba, Pop Mart and Anker side by side on the share of revenue earned abroad.

    Alibaba's figure is AIDC's share of consolidated revenue (FY, ends 31 March); it leaves out
    Cloud's overseas revenue, which is not reported separately. Pop Mart counts Hong Kong,
    Macao and Taiwan as outside the mainland. Anker's is 100 minus its mainland-China share.
    """
    pm = pop_mart_outside_share().set_index("year")["share_pct"]
    anker_abroad = 100 - transfer_value("Anker", "region_mainland_china", "H1 2024")
    return pd.DataFrame(
        [
            {
                "firm": "Alibaba (AIDC)",
                "early": f"{100 * segments.share('aidc_total', 2022):.1f}% ({fy(2022)})",
                "latest": f"{100 * segments.share('aidc_total', 2024):.1f}% ({fy(2024)})",
                "abroad_pct": 100 * segments.share("aidc_total", 2024),
                "how it went abroad": "own platforms and acquisitions; own logistics, payments (affiliate) and cloud",
            },
            {
                "firm": "Pop Mart",
                "early": f"{pm[2021]:.1f}% (2021)",
                "latest": f"{pm[2024]:.1f}% (2024)",
                "abroad_pct": pm[2024],
                "how it went abroad": "own stores and online sales abroad; no marketplace of its own",
            },
            {
                "firm": "Anker",
                "early": "not found",
                "latest": f"{anker_abroad:.1f}% (H1 2024)",
                "abroad_pct": anker_abroad,
                "how it went abroad": (
                    f"brand sold through others' marketplaces: {transfer_value('Anker', 'amazon_share', 'H1 2024'):.1f}% of sales via Amazon"
                ),
            },
        ]
    )


def transfer_chart() -> Figure:
    """Share of revenue earned outside mainland China: Pop Mart's path and two fixed points."""
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
    aidc = 100 * segments.share("aidc_total", 2024)
    anker = 100 - transfer_value("Anker", "region_mainland_china", "H1 2024")
    ax.axhline(aidc, color=style.COLOURS["aidc_total"], ls="--", lw=1.2)
    ax.text(
        2022.45,
        aidc - 6,
        f"Alibaba: AIDC share of revenue, FY2024: {aidc:.1f}%",
        fontsize=8,
        color=style.COLOURS["aidc_total"],
    )
    ax.axhline(anker, color=style.COLOURS["cloud"], ls="--", lw=1.2)
    ax.text(
        2021.0,
        anker - 7,
        f"Anker: outside mainland China, H1 2024: {anker:.1f}%",
        fontsize=8,
        color=style.COLOURS["cloud"],
    )
    ax.set_ylim(0, 105)
    ax.set_xticks(pm["year"])
    ax.set_ylabel("% of revenue outside mainland China")
    ax.set_title("How much of the business is abroad?")
    ax.legend(loc="center right")
    return fig
