"""The 通报 as Markdown (GitHub-flavoured tables). tests/golden/ keeps this rendering stable."""

from __future__ import annotations

from tracker.mdtext import md_text
from tracker.report.compose import Document, Heading, Para, Table


def render_markdown(doc: Document) -> str:
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += ["#" * (block.level + 1) + " " + md_text(block.text), ""]
        elif isinstance(block, Para):
            text = md_text(block.text)
            out += [f"> {text}" if block.kind == "demo" else text, ""]
        else:
            out += _table(block)
    return "\n".join(out).rstrip("\n") + "\n"


def _table(t: Table) -> list[str]:
    lines = ["| " + " | ".join(md_text(h) for h in t.header) + " |",
             "|" + "|".join("---" for _ in t.header) + "|"]
    lines += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in t.rows]
    return [*lines, ""]
