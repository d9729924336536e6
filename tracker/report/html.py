"""The 通报 as one standalone HTML page: no external resource, every string escaped, printable
on A4 (the same blocks as the Word document)."""

from __future__ import annotations

from html import escape

from tracker.report.compose import Document, Heading, Para, Table

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", serif;
       font-size: 16pt; line-height: 28pt; max-width: 156mm; margin: 2em auto; color: #000; }
h1 { font-family: "方正小标宋简体", "SimSun", "宋体", serif; font-size: 22pt; line-height: 1.4;
     text-align: center; font-weight: normal; margin: 0.5em 0 1em; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 16pt; font-weight: normal; margin: 0; }
h3 { font-family: "KaiTi_GB2312", "楷体_GB2312", "KaiTi", "楷体", serif; font-size: 16pt;
     font-weight: normal; margin: 0; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.docno, p.demo { text-align: center; text-indent: 0; }
p.salutation { text-indent: 0; }
p.signature, p.date { text-align: right; text-indent: 0; padding-right: 2em; }
p.note { font-size: 12pt; line-height: 1.6; margin-top: 1em; }
p.demo { color: #b00; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0;
        font-family: "SimSun", "宋体", serif; font-size: 10.5pt; line-height: 1.5; }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: middle; }
th { font-family: "SimHei", "黑体", sans-serif; font-weight: normal; text-align: center; }
""".strip()


def render_html(doc: Document) -> str:
    body: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            tag = f"h{block.level + 1}"
            body.append(f"<{tag}>{escape(block.text)}</{tag}>")
        elif isinstance(block, Para):
            body.append(f'<p class="{block.kind}">{escape(block.text)}</p>')
        else:
            body.append(_table(block))
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(doc.title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _table(t: Table) -> str:
    total = sum(t.widths) or 1
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in t.widths)
    head = "".join(f"<th>{escape(h)}</th>" for h in t.header)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>\n"
                   for row in t.rows)
    return (f'<table data-key="{escape(t.key)}">\n<colgroup>{cols}</colgroup>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>")
