"""The audit site: `tracker build`.

    pages.py           status JSON + repository → pages (Markdown with raw HTML blocks)
    templates/         the Jinja2 templates those pages are filled from
    charts.py          inline SVG charts
    escape.py          escaping and link checks for every string from a filing or the plan
    downloads.py       the status as JSON, CSV and XLSX
    mkdocs_backend.py  the only MkDocs-specific code: pages → HTML (strict, offline, zh search)
    zensical_backend.py  the same with Zensical (optional: tracker build --engine zensical)
    build.py           the whole build: load, compute, provenance, generate, render (ENGINES), swap
    serve.py           `tracker serve`: build into a temporary folder, serve it, remove it on any stop
"""
