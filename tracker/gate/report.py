"""The pull-request comment / step summary, as Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.gate.check import CheckResult


def _md(text: str) -> str:
    from tracker.delta import md_text  # HTML and Markdown in data stay text

    return md_text(text)


def check_markdown(result: CheckResult, limit: int = 50) -> str:
    """The pull-request comment / step summary: the verdict, the problems, the status moves."""
    report = result.report
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "❌ 未通过" if errors else ("⚠️ 通过(有警告)" if warnings else "✅ 通过")
    files = sorted({c.path for c in result.changes})
    out = [f"## tracker check：{verdict}", "",
           f"与 `{result.base}` 比较：{len(result.commits)} 个提交改动了数据，"
           f"{len(files)} 个文件有变化；{errors} 个错误，{warnings} 个警告。"
           + ("(计划或配置有改动，已全量检查。)" if result.full else ""), ""]
    items = report.sorted()
    if items:
        out += ["| 位置 | 级别 | 规则 | 问题 |", "|---|---|---|---|"]
        for d in items[:limit]:
            where = f"{d.path}:{d.line}" if d.line else d.path
            out.append(f"| <code>{_md(where)}</code> | {'错误' if d.severity == 'error' else '警告'} | "
                       f"`{d.rule}` | {_md(d.message)} |")
        if len(items) > limit:
            out.append(f"| … | | | 另有 {len(items) - limit} 条，见检查日志 |")
        out.append("")
    if result.delta_markdown:
        out.append(result.delta_markdown.rstrip() + "\n")
    return "\n".join(out)
