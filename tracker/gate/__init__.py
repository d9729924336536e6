"""The pull-request gate, `tracker check --base REF`: what a pull request may change.

One module per family of rules, so that each can be audited in one place:

    check.py          the command: reads git and the repository once, runs every family
    context.py        the status delta's read of every unit, started first in a second process
    git.py            the git command line and the parsing of its output (bytes, NUL-separated)
    history.py        the net change against the merge base, and which commits made each
                      changed path what it is (a merge for its own resolution)
    paths.py          who owns a path (a unit its own folders, the maintainers everything
                      else), and what a path under submissions/ or evidence/ may be
    authorization.py  who may change which path: each changed path, for each commit
    immutability.py   merged filings only amended (their text, not only their data),
                      filings and registers never deleted, evidence merged filings cite
                      changed only with an amendment, 销号 decisions (reviews/) only
                      appended to
    timeliness.py     a new filing's reported_on neither in the future nor backdated
    delta.py          the status moves the pull request causes
    report.py         the Markdown for the pull request (comment and step summary)

The rules and the trust model (what the check guarantees, and what the forge's protected
branch and CODEOWNERS must do) are written down in docs/workflow.md.

This package imports nothing at import time: `tracker check` imports `gate.context` first and
starts its read in a forked child, which imports `gate.delta` while the main process imports
the rest.
"""
