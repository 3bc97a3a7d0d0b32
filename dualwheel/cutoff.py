"""The knowledge cut-off: what the student could know on the decision date.

The book is a decision case. Chapters 1-7 and the decision opener show only what was public on
the decision date (``decision_date`` at the top of ``data/metadata.yml``, the one place it is
typed); what became public later belongs to the after-class B-case. Every source says when its
document became public::

    dec_sec_20f_fy2024:
      document: "..."
      url: "..."
      confidence: high
      published: 2024-05-23          # ISO date, or 2024-05, or 2024 when that is all it shows
      fact_public: 2024-05-14        # optional: the fact was public earlier than this document

``published`` may be partial. A ``YYYY`` or ``YYYY-MM`` date counts as its LAST day when asking
whether a source came after the cut-off (a document dated only "2024" may be from December).
``fact_public`` is for a fact that predates the cut-off when the only document found is later
(a 2025 article restating a 2023 announcement): the source then counts from ``fact_public``.

    >>> from dualwheel import cutoff
    >>> cutoff.decision_date().isoformat() == data.metadata()["decision_date"].isoformat()
    True
    >>> cutoff.after_cutoff("sec_20f_fy2019")
    False
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from . import data

#: The fields a source may carry to say when it became public.
DATE_FIELDS = ("published", "fact_public")
#: Sources of this kind are no document (the marker that nothing was checked): they need no date.
UNDATED_KINDS = ("unchecked",)

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PublicDate:
    """A date that may be partial: a year, a month, or a day. ``text`` is how it was written."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first(self) -> dt.date:
        """The earliest day the date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        """The latest day the date can mean (the one the cut-off checks use)."""
        if self.day is not None:
            return dt.date(self.year, self.month or 1, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_date(value: Any) -> PublicDate:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (YAML may already have made a date or an int).

    Raises ValueError with a readable reason for anything else (a day that does not exist, a
    month 13, '30 June 2024', an empty value).
    """
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} has a time of day; write the date alone (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return PublicDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    text = str(value).strip()
    m = _PARTIAL.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if not 1990 <= year <= 2100:
        raise ValueError(f"{text!r}: the year {year} is out of range")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r}: there is no month {month}")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{text!r}: that day does not exist") from None
    return PublicDate(year, month or None, day or None)


def decision_date() -> dt.date:
    """The decision date (knowledge cut-off), read from ``data/metadata.yml``'s ``decision_date``."""
    value = data.metadata().get("decision_date")
    if value is None:
        raise data.DataError("metadata.yml", "decision-date", "needs a top-level 'decision_date' (YYYY-MM-DD)")
    try:
        parsed = parse_date(value)
    except ValueError as exc:
        raise data.DataError("metadata.yml", "decision-date", f"decision_date: {exc}") from None
    if parsed.day is None:
        raise data.DataError("metadata.yml", "decision-date", f"decision_date {parsed} must name a day")
    return parsed.last


def _source(sid: str) -> dict[str, Any]:
    known = data.sources()
    if sid not in known:
        raise KeyError(f"unknown source id {sid!r}; define it under 'sources' in data/metadata.yml")
    return known[sid]


def published(sid: str) -> PublicDate | None:
    """When the source's document became public, as written (``None`` when it has no date)."""
    value = _source(sid).get("published")
    return None if value is None else parse_date(value)


def fact_public(sid: str) -> PublicDate | None:
    """When the source's fact became public, if earlier than its document (``None`` otherwise)."""
    value = _source(sid).get("fact_public")
    return None if value is None else parse_date(value)


def source_public_date(sid: str) -> dt.date | None:
    """The day from which the source's content counts as public, for the cut-off checks:
    ``fact_public`` when given, else ``published``, each read as its LAST day when partial.
    ``None`` when the source carries no date (then :func:`after_cutoff` treats it as late)."""
    when = fact_public(sid) or published(sid)
    return None if when is None else when.last


def after_cutoff(sid: str) -> bool:
    """True when the source became public after the decision date, or carries no date at all
    (an undated source cannot be shown before the decision). The marker ``none`` is never late."""
    if _source(sid).get("kind") in UNDATED_KINDS:
        return False
    when = source_public_date(sid)
    return when is None or when > decision_date()


def late_sources(ids: list[str] | tuple[str, ...] | set[str]) -> list[str]:
    """The ids among ``ids`` that :func:`after_cutoff` calls late, sorted, without repeats."""
    return sorted({sid for sid in ids if after_cutoff(sid)})


def undated_sources() -> list[str]:
    """Every source id (of a kind that needs one) without a ``published`` date."""
    return sorted(
        sid
        for sid, s in data.sources().items()
        if s.get("kind") not in UNDATED_KINDS and s.get("published") is None
    )


# ---- dates in text: the scan of the rendered student pages (tests/book/test_hindsight.py)

_MONTHS = {
    m.lower(): i
    for i in range(1, 13)
    for m in (calendar.month_name[i], calendar.month_abbr[i], calendar.month_abbr[i] + ".")
}
_MONTHS["sept"] = _MONTHS["sept."] = 9
_MONTH = r"(?P<month>" + "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True)) + r")"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d])"
_QUARTER_MONTH = {"march": 1, "june": 2, "september": 3, "december": 4}
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

#: (pattern, how it is read): each pattern names a period; the scan reports it when the period is
#: later than the cut-off. A fiscal year counts by its END (FY2025 ends 31 March 2025, so its
#: results were not known on 30 June 2024); every other period by its START.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # FY2025, FY 2025, FY25, fiscal 2025, fiscal year 2025, fiscal-year-2025, 2025财年
    ("fy", re.compile(r"\b(?:FY\s?'?|fiscal[\s-]+(?:year[\s-]+)?)(?P<year>(?:20)?\d\d)(?!\d)", re.I)),
    ("fy", re.compile(r"(?<![\d.,])(?P<year>20\d\d)\s?财年")),
    # H2 2024, 2H 2024, 2H24, second half of 2024, 2024年下半年
    ("half", re.compile(r"\b(?:H(?P<h>[12])|(?P<h2>[12])H)\s?'?(?P<year>(?:20)?\d\d)(?!\d)", re.I)),
    ("half", re.compile(r"\b(?P<word>first|second)\s+half\s+(?:of\s+)?(?P<year>20\d\d)(?!\d)", re.I)),
    ("half", re.compile(r"(?<![\d.,])(?P<year>20\d\d)\s?年(?P<cn>上|下)半年")),
    # Q3 2024, 3Q 2024, 3Q24, 2024Q3, third quarter of 2024, September quarter 2024
    ("quarter", re.compile(r"\b(?:Q(?P<q>[1-4])|(?P<q2>[1-4])Q)\s?'?(?P<year>(?:20)?\d\d)(?!\d|[,.]\d)", re.I)),
    ("quarter", re.compile(r"(?<![\d.,])(?P<year>20\d\d)\s?-?Q(?P<q>[1-4])\b", re.I)),
    ("quarter", re.compile(
        r"\b(?P<word>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(?P<year>20\d\d)(?!\d)", re.I)),
    ("quarter", re.compile(r"\b(?P<qm>March|June|September|December)[\s-]+quarter\s+(?:of\s+)?(?P<year>20\d\d)(?!\d)", re.I)),
    # 15 July 2024, July 15, 2024, July 2024, Jul. 2024, July-2024
    ("month", re.compile(r"\b" + _MONTH + r"(?:\s+\d{1,2},)?[\s-]+" + _YEAR, re.I)),
    # 2024-07-15, 2024-07, 2024年7月
    ("month", re.compile(r"(?<![\d.,])(?P<year>20\d\d)-(?P<num>0[1-9]|1[0-2])(?![\d])")),
    ("month", re.compile(r"(?<![\d.,])(?P<year>20\d\d)\s?年\s?(?P<num>1[0-2]|0?[1-9])\s?月")),
    # late 2024, end of 2024, end-2024, year-end 2024, autumn / fall / winter 2024
    ("late", re.compile(r"\b(?:late|end[\s-]+of|end-|year[\s-]end|autumn|fall|winter)\s*(?P<year>20\d\d)(?!\d)", re.I)),
    # a year on its own: 2025, 2026, 2025年 (not 2,025, 12025, 2025.5 or the act number 2022/2065)
    ("year", re.compile(r"(?<![\d.,\w/-])(?P<year>20\d\d)(?![\d/]|[.,]\d)")),
]


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _period(kind: str, m: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    """The (first, last) day of the period a match names, or None when it names none."""
    g = m.groupdict()
    year = _year(g["year"])
    if kind == "fy":  # Alibaba's fiscal year FYn runs 1 April n-1 to 31 March n
        return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    if kind == "half":
        half = int(g.get("h") or g.get("h2") or 0) or {"first": 1, "second": 2, "上": 1, "下": 2}[
            (g.get("word") or g.get("cn") or "").lower() or g.get("cn")
        ]
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    if kind == "quarter":
        q = int(g.get("q") or g.get("q2") or 0) or _ORDINAL.get((g.get("word") or "").lower()) or _QUARTER_MONTH[
            (g.get("qm") or "").lower()
        ]
        last_month = 3 * q
        return dt.date(year, last_month - 2, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    if kind == "month":
        month = int(g["num"]) if g.get("num") else _MONTHS[g["month"].lower()]
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if kind == "late":
        return dt.date(year, 9, 1), dt.date(year, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass(frozen=True)
class DateMention:
    """A date found in a text: the words as written, where, and what period they name."""

    text: str
    start: int
    kind: str
    first: dt.date
    last: dt.date


def date_mentions(text: str) -> list[DateMention]:
    """Every date-like mention in ``text`` (one per stretch of text: "FY2025" is a fiscal
    year, not also the year 2025), in reading order."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            period = _period(kind, m)
            if period is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.group(0), m.start(), kind, *period))
    return sorted(found, key=lambda d: d.start)


def later_dates(text: str, cutoff: dt.date | None = None) -> list[DateMention]:
    """The dates in ``text`` that name a period after the cut-off (``decision_date()`` unless
    given): a fiscal year that ends after it, any other period that starts after it."""
    cutoff = cutoff or decision_date()
    return [d for d in date_mentions(text) if (d.last if d.kind == "fy" else d.first) > cutoff]


# ---- rows known on the decision date (the student's copy of data/, dualwheel.publish.student_data)

#: How a table's ``known_by:`` declaration reads the column that dates a row (the last day of
#: the period it names is when the row could first be known):
#: ``fiscal_year``: Alibaba's fiscal year n ends 31 March n (its 20-F, the row's source, follows);
#: ``calendar_year``: a calendar year's annual figure is not known before 31 December;
#: ``period``: a date or period written as text (YYYY-MM-DD, YYYY-MM, YYYY, FY2024, H1 2024,
#: 2024Q1, "Apr 2022-Mar 2023" ...): its latest day; a value that names no date leaves the row
#: to its sources alone;
#: ``vocabulary``: the rows are definitions, not dated facts (the term list): no column dates
#: them and their source's date is when the list was compiled, so only their text is checked.
KNOWN_BY_RULES = ("fiscal_year", "calendar_year", "period", "vocabulary")


def known_by(table: str) -> dict[str, str] | None:
    """A table's ``known_by:`` declaration ({"column": ..., "rule": ...}), checked; None if none."""
    decl = data.metadata()["tables"][table].get("known_by")
    if decl is None:
        return None
    where = data.table_meta(table)
    if not isinstance(decl, dict) or decl.get("rule") not in KNOWN_BY_RULES:
        raise data.DataError(where.file, "known-by", f"known_by needs a rule, one of {', '.join(KNOWN_BY_RULES)}")
    if decl["rule"] != "vocabulary" and decl.get("column") not in where.columns:
        raise data.DataError(where.file, "known-by", f"known_by names no column of the table: {decl.get('column')!r}")
    return decl


def period_end(value: Any, rule: str) -> dt.date | None:
    """The last day of the period ``value`` names under a ``known_by`` rule (None: no date)."""
    if value is None or (isinstance(value, float) and value != value) or str(value).strip() in ("", "nan"):
        return None
    if rule in ("fiscal_year", "calendar_year"):
        year = int(float(value))
        return dt.date(year, 3, 31) if rule == "fiscal_year" else dt.date(year, 12, 31)
    text = str(value).strip()
    try:
        return parse_date(text).last
    except ValueError:
        pass
    ends = [m.last for m in date_mentions(text)]
    return max(ends) if ends else None


def row_is_late(table: str, row: dict[str, Any] | Any) -> bool:
    """True when a row of ``table`` was not known on the decision date: a source it cites (a
    column marked ``source_id``) became public after it (:func:`after_cutoff`; the case paper,
    ``kind: paper``, is the assigned reading and exempt), or the column its ``known_by:``
    declaration names dates it after it. A ``vocabulary`` table's rows are late only when their
    text names a later date."""
    meta = data.table_meta(table)
    decl = known_by(table)
    cut = decision_date()
    if decl and decl["rule"] == "vocabulary":
        return any(later_dates(str(row[c])) for c in meta.columns if not meta.columns[c].get("source_id")
                   and isinstance(row[c], str))
    known = data.sources()
    for col, rule in meta.columns.items():
        sid = row[col] if rule.get("source_id") else None
        if isinstance(sid, str) and sid and known[sid].get("kind") != "paper" and after_cutoff(sid):
            return True
    if decl:
        end = period_end(row[decl["column"]], decl["rule"])
        return end is not None and end > cut
    return False


def late_rows(table: str) -> list[int]:
    """The positions (0-based, in file order) of the rows of ``table`` not known on the decision date."""
    frame = data.load(table)
    return [i for i, row in enumerate(frame.to_dict("records")) if row_is_late(table, row)]
