"""The service report as plain text (CLI) and as one self-contained HTML page (``var/report.html``)."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from qa_service.services.reports import ServiceReport

_TITLES = {
    "inquiry": "inquiry 咨询", "complaint": "complaint 投诉", "suggestion": "suggestion 建议",
    "praise": "praise 表扬", "account_inquiry": "account inquiry 查询账户",
    "bill_payment": "bill payment 代缴费",
    "transfer": "transfer 转账汇款", "card_services": "card services 银行卡",
    "loans_repayment": "loan repayment 贷款",
    "wealth_products": "wealth products 理财", "other": "other 其他",
    "marketing": "marketing 外呼营销", "return_visit": "return visit 客户回访",
    "repayment_reminder": "repayment reminder 提醒到期还款",
}


def _title(key: str) -> str:
    return _TITLES.get(key, key)


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _period(r: ServiceReport) -> str:
    span = f"{r.start or 'beginning'} to {r.end or 'now'}"
    return span + (f", teams {', '.join(r.teams)}" if r.teams else "")


def _rate(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.0f}%" if whole else "-"


def sections(r: ServiceReport) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) for every table of the report; both renderers use these."""
    talk, q = r.talk, r.quality
    scored = int(q["scored"] or 0)
    out: list[tuple[str, list[str], list[list[str]]]] = [
        ("Work status 工作状态", ["figure", "value"], [
            ["calls 通话量", str(r.total_calls)],
            *[[f"  {k}", str(v)] for k, v in r.by_state.items()],
            *[[f"  {_title(k)}", str(v)] for k, v in r.by_direction.items()],
            ["average talk time per call 平均通话时间 (s)", _num(talk["avg_duration_s"])],
            ["average agent talk (s)", _num(talk["avg_agent_talk_s"])],
            ["average customer talk (s)", _num(talk["avg_customer_talk_s"])],
            ["audio hours analysed", _num((talk["total_duration_s"] or 0.0) / 3600.0, 2)],
            ["monitored calls 监听电话量", str(r.monitored_calls)],
        ]),
        ("Calls per day", ["day", "calls"], [[k, str(v)] for k, v in r.by_day.items()]),
        ("Calls per shift 每班", ["shift", "calls"], [[k, str(v)] for k, v in r.by_shift.items()]),
        ("Calls per agent 座席", ["agent", "calls", "days", "per day", "per month", "per shift",
                                  "avg talk (s)", "avg score"], [
            [a.agent_id, str(a.calls), str(a.days), _num(a.per_day),
             ", ".join(f"{m}: {n}" for m, n in a.per_month.items()) or "-",
             ", ".join(f"{s}: {n}" for s, n in a.per_shift.items()) or "-",
             _num(a.avg_duration_s), _num(a.avg_score)] for a in r.agents]),
        ("Service supervision: contact reasons 服务监督", ["reason", "calls"],
         [[_title(k), str(v)] for k, v in r.contact_reasons.items()]),
        ("Transactions by type 业务类型", ["type", "calls"],
         [[_title(k), str(v)] for k, v in r.business_types.items()]),
        ("Outbound results 外呼", ["campaign", "outcome", "calls", "share"], [
            [_title(c), o, str(n), _rate(n, sum(outs.values()))]
            for c, outs in r.outbound.items() for o, n in sorted(outs.items())]),
        ("Call quality 服务质量", ["figure", "value"], [
            ["scored calls", str(scored)],
            ["average score", _num(q["avg_score"])],
            ["passed", f"{q['passed']} ({_rate(int(q['passed'] or 0), scored)})"],
            ["auto-failed (critical item)", str(q["auto_failed"])],
            ["needs review", str(q["needs_review"])],
        ]),
        ("Most failed rubric items", ["item", "calls failing"],
         [[k, str(v)] for k, v in r.item_failures.items()]),
    ]
    if r.failed:
        out.append(("Calls that could not be processed", ["call", "reason"],
                    [[c, reason or ""] for c, reason in r.failed]))
    return out


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_text(r: ServiceReport) -> str:
    lines = [f"Service report, {_period(r)}", ""]
    for title, header, rows in sections(r):
        lines.append(title)
        if not rows:
            lines += ["  (none)", ""]
            continue
        widths = [max(_width(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
        for row in [header, *rows]:
            cells = (str(c) + " " * (w - _width(str(c))) for c, w in zip(row, widths, strict=False))
            lines.append(("  " + "  ".join(cells)).rstrip())
        lines.append("")
    return "\n".join(lines)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2rem;color:#222;max-width:72rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}h1{font-size:1.4rem}h2{font-size:1.1rem}
.calls td:nth-child(4){font-weight:600}"""


def render_html(r: ServiceReport, calls: Sequence[Mapping[str, str]] = ()) -> str:
    """The report page; ``calls`` (optional) adds one row per call with its score and labels."""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>QA service report</title>"
             f"<style>{_CSS}</style></head><body><h1>QA service report</h1><p>{html.escape(_period(r))}</p>"]
    for title, header, rows in sections(r):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        parts.append(_table(header, rows) if rows else "<p>(none)</p>")
    if calls:
        header = list(calls[0].keys())
        parts.append("<h2>Calls</h2><div class='calls'>")
        parts.append(_table(header, ([c[h] for h in header] for c in calls)))
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts)
