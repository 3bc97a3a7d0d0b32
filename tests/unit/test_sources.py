"""Every row cites the document itself (issue 21, item 7).

A source's URL must lead to the document that states the figure: a filing, an official
release, a dated article. These tests fail on what the reviews found instead:

- a bare domain or an index page (a homepage, a section front, a category listing);
- a host known to be a mirror, a spam or content-farm site, or a preview deployment;
- a row whose source has no URL, unless the source says what it is instead (``kind:`` in
  data/metadata.yml: ``paper`` for the case paper, ``casebook`` for the casebook's own work,
  ``unchecked`` for the marker that no source was checked).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from dualwheel import data

#: Hosts that copy, scrape or spin other people's documents, or serve previews of them: never
#: the document itself. A subdomain of a listed host is listed too.
MIRROR_HOSTS = (
    "pay1pay.com",  # spam mirror of an NBS figure
    "wuweibbs.com",  # content farm restating a 2016 report
    "776mm.com",  # spam mirror of an SCIO briefing (m.776mm.com)
    "articls.com",  # content farm (futuretechnol.articls.com)
    "vercel.app",  # preview deployments (a Baymard preview)
    "webcatalog.io",  # app catalogue with Wikipedia-derived blurbs
    "yumpu.com",  # re-hosted PDFs of other publishers' reports
    "scribd.com",  # user uploads of other publishers' reports
    "guymondailyherald.com",  # wire-feed mirror of press releases
    "bitbrowser.net",  # anti-detect-browser vendor blog
    "jierqitrade.com",  # trading-company blog
    "ssopdot.com",  # SEO blog of a sourcing agent
    "rxzine.com",  # content farm restating a WSJ report
    "github.com",  # a personal repository is a transcription, not the filing
    "githubusercontent.com",
    "fast-edgar.com",  # re-hosted EDGAR filings (archive.fast-edgar.com): the filing is on sec.gov
    "netvigator.com",  # a Hong Kong ISP's customer hosts (*.static.netvigator.com), not a publisher
)

#: A host that is an IP address, or an ISP's reverse-DNS name built from one
#: (105.47.198.203.static.netvigator.com, 1-2-3-4.example.net): a server, not a publisher's site.
RAW_HOST = re.compile(
    r"^\d{1,3}(\.\d{1,3}){3}$"  # a bare IPv4 address
    r"|^\[?[0-9a-f:]+:[0-9a-f:]*\]?$"  # a bare IPv6 address
    r"|(^|\.)\d{1,3}([.-]\d{1,3}){3}\.",  # an address written into a reverse-DNS name
    re.I,
)

#: Hosts accepted although they are not sec.gov: the issuer's own investor-relations viewer of
#: its SEC filings (otp.investis.com/clients/us/alibaba/SEC/...) shows the filing itself, page
#: by page, as Alibaba publishes it. A sec.gov URL is preferred where one was found.
ISSUER_FILING_VIEWERS = ("otp.investis.com",)

#: Paths that name a listing, not a document: the site's front page, an index script, a
#: section or category front, or a date folder.
INDEX_PATHS = (
    re.compile(r"^/?$"),
    re.compile(r"^/index\.(php|html?|aspx?|jsp)$", re.I),
    re.compile(r"^/(en|en-us|english|news|blog|home|press|media|articles?|expert-opinion|insights)/?$", re.I),
    re.compile(r"/(category|categories|tag|tags|section)/[^/]*/?$", re.I),
    re.compile(r"^/(news|articles?)/\d{4}(-\d{2}){0,2}/?$", re.I),
)

#: Query parameters that select a listing rather than one document.
INDEX_QUERY = re.compile(r"(^|&)(catid|cat|category|page|tag|reportdate)=", re.I)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_mirror(url: str) -> bool:
    """True when the URL's host is, or is under, a known mirror / spam / content-farm host."""
    host = _host(url)
    if RAW_HOST.search(host):
        return True
    return any(host == h or host.endswith("." + h) for h in MIRROR_HOSTS)


def is_index(url: str) -> bool:
    """True when the URL is a bare domain or an index-like page rather than a document."""
    parts = urlsplit(url)
    if not parts.hostname:
        return True
    if any(p.search(parts.path or "/") for p in INDEX_PATHS):
        # a bare path is still a document when the query names one item (?p=78434, ?id=...)
        return not parts.query or bool(INDEX_QUERY.search(parts.query))
    return bool(INDEX_QUERY.search(parts.query))


def _cited_sources() -> dict[str, list[str]]:
    """Source id -> the 'table:line:column' places that cite it, over every table's source columns."""
    cited: dict[str, list[str]] = {}
    tables = data.metadata()["tables"]
    for name in data.table_names():
        columns = [c for c, rule in tables[name]["columns"].items() if rule.get("source_id")]
        frame = data.load(name)
        for col in columns:
            for i, sid in enumerate(frame[col], start=2):
                if isinstance(sid, str) and sid:
                    cited.setdefault(sid, []).append(f"{name}:{i}:{col}")
    return cited


# ---------------------------------------------------------------- the rules, on made-up URLs


@pytest.mark.parametrize(
    "url",
    [
        "https://www.alibabagroup.com/",
        "https://www.zdnet.com",
        "http://www.customs.gov.cn/",
        "https://thepaypers.com/expert-opinion/",
        "https://news.cgtn.com/news/2021-01-15/",
        "https://jierqitrade.com/index.php?catid=22",
        "https://example.com/category/payments/",
        "https://example.com/?page=2",
        "https://www.poems.com.hk/en-us/research-and-analysis/research-report/?ReportDate=20220414",
    ],
)
def test_bare_domains_and_index_pages_are_caught(url):
    assert is_index(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.sec.gov/Archives/edgar/data/1577552/000104746919003492/R36.htm",
        "https://regfollower.com/?p=78434",
        "https://news.cgtn.com/news/2021-01-15/China-s-foreign-trade-2020-abc/index.html",
        "https://www.globaltimes.cn/page/202101/1212876.shtml",
        "https://equalocean.com/news/2024011320441",
        "https://otp.investis.com/clients/us/alibaba/SEC/sec-show.aspx?Type=page&FilingId=12879202-1080704-1085896&CIK=0001577552&Index=16000",
        "http://english.scio.gov.cn/pressroom/2023-01/20/content_85069805.htm",
    ],
)
def test_document_urls_pass(url):
    assert not is_index(url)
    assert not is_mirror(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.pay1pay.com/xykyw/79440.html",
        "https://m.776mm.com/2025/07/17/25910.html",
        "https://futuretechnol.articls.com/21638-x",
        "https://marketing-site-f2tmuig6e-baymard.vercel.app/lists/cart-abandonment-rate",
        "https://github.com/linroger/FinanceCompendium",
        "http://105.47.198.203.static.netvigator.com/docDetail.jsp?channel=5695&id=100495127",
        "http://203.198.47.105/docDetail.jsp?id=1",
        "https://archive.fast-edgar.com/20260520/AN2L462EZW2RNZZ2222N2ZYO4RTFZZ22D282/R66.htm",
    ],
)
def test_mirror_hosts_are_caught(url):
    assert is_mirror(url)


# ---------------------------------------------------------------- the rules, on data/


def test_every_source_has_a_known_kind_or_none():
    data.clear_cache()
    assert data.validate_sources()
    for sid, s in data.sources().items():
        assert s.get("kind") in (None, *data.SOURCE_KINDS), sid


def test_a_paper_source_has_no_url():
    paper = {sid: s for sid, s in data.sources().items() if s.get("kind") == "paper"}
    assert {"paper", "paper_s1", "paper_table2"} <= set(paper)
    assert all(not s.get("url") for s in paper.values())


def test_no_source_url_is_a_bare_domain_or_an_index_page():
    bad = {sid: s["url"] for sid, s in data.sources().items() if s.get("url") and is_index(s["url"])}
    assert not bad, f"sources whose URL is a homepage or an index page, not the document: {bad}"


def test_no_source_url_is_a_known_mirror():
    bad = {sid: s["url"] for sid, s in data.sources().items() if s.get("url") and is_mirror(s["url"])}
    assert not bad, f"sources whose URL is a mirror, spam or content-farm copy: {bad}"


def test_every_cited_source_has_a_url_unless_it_says_what_it_is():
    known = data.sources()
    bad = {
        sid: places[:3]
        for sid, places in sorted(_cited_sources().items())
        if not known[sid].get("url") and not known[sid].get("kind")
    }
    assert not bad, f"rows cite sources with no URL and no kind (paper / casebook / unchecked): {bad}"
