"""Reminders: who must do what as of a date, and sending it where they work (`tracker remind`).

    items.py    the reminders of each unit and the plan office, from a Status (pure)
    render.py   the messages as text (what is sent), Markdown and JSON
    channels.py notification channels from plan/units.yaml: environment variables, masking
    state.py    what was already sent today (never twice for the same reason on one day)
    send.py     delivery through Apprise, one channel at a time
    run.py      `tracker remind` as a library call

Decisions: docs/notify.md.
"""
