"""`tracker explain TARGET`: the arithmetic behind one status."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import as_of_option, root_option
from tracker.cli.status_cmd import lang_option, streams


@cli.command()
@click.argument("target", metavar="TARGET")
@click.option("--unit", "unit", metavar="ID", help="解释某个单位的状态(默认全市)。A unit's status.")
@root_option
@as_of_option
@lang_option
def explain(target: str, unit: str | None, root: Path, max_bytes: int, debug: bool,
            as_of: date | None, lang: str | None) -> None:
    """解释状态 Show the arithmetic behind one target's status.

    \b
    Which filing (path, period, revision) each actual came from, the milestone points, the
    interpolation at the date (the two points around it, days elapsed of total), the lagging
    threshold, and the first rule of the status table that held, with its comparison.

    \b
    Examples (TARGET-ID and UNIT-ID stand for ids of plan/targets.yaml and plan/units.yaml;
    `tracker status` lists them):
      tracker explain TARGET-ID
      tracker explain TARGET-ID --unit UNIT-ID --as-of 2023-06-30
    """
    from tracker.language import label_language
    from tracker.repository import default_as_of
    from tracker.status_view import ExplainSettings, execute_explain

    execute_explain(
        ExplainSettings(root=root, target=target, unit=unit, as_of=as_of or default_as_of(root, max_bytes),
                        lang=label_language(lang, root, max_bytes), max_bytes=max_bytes),
        streams(),
    )
