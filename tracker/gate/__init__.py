"""The pull-request gate, `tracker check --base REF`: what a pull request may change.

One module per family of rules, so that each can be audited in one place:

    check.py          the command: reads git and the repository once, runs every family
    git.py            the git command line and the parsing of its output (bytes, NUL-separated)
    paths.py          where things are: toplevel/root paths, who owns a path, what a path may be
    authorization.py  who may change which path (units' editors, the plan's maintainers)
    immutability.py   merged filings only amended, registers never deleted
    delta.py          the status moves the pull request causes
    report.py         the Markdown for the pull request (comment and step summary)

The rules and the trust model (what the check guarantees, and what the forge's protected
branch and CODEOWNERS must do) are written down in docs/workflow.md.

This package imports nothing at import time: `tracker.check_context` imports `gate.delta` in a
forked child while the main process imports the rest.
"""
