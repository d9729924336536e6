"""The periodic 督办通报 (`tracker report --period 2024-Q2`): Word, Markdown and HTML.

    data.py      the statuses a 通报 is made of, from the status engine (pure)
    compose.py   the 通报 as a document: headings, paragraphs and tables in Chinese (pure)
    docx.py      Word (.docx) for WPS/Word: 公文 fonts, A4, page numbers
    markdown.py  Markdown (the golden rendering the tests keep stable)
    html.py      one standalone HTML page
    run.py       `tracker report` as a library call

Decisions (which dates, what each section lists): docs/report.md.
"""
