from __future__ import annotations

from pathlib import Path

import click

from tracker import schema
from tracker.cli import cli
from tracker.cli.options import debug_option


@cli.command("schema")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True,
    help="写入 JSON Schema 的目录。Folder to write the schemas into.",
)
@debug_option
def schema_command(out: Path, debug: bool) -> None:
    """导出 JSON Schema Export the JSON Schemas (Draft 2020-12) tracker validates with.

    \b
    Writes <kind>.schema.json for units, tasks, targets, filing, register and config.
    Editors get live checking in VS Code (YAML extension by Red Hat) from a first line
      # yaml-language-server: $schema=../../schemas/filing.schema.json
    in a filing; other validators (check-jsonschema, ajv) can use the same files.

    Example:  tracker schema --out schemas
    """
    for path in schema.export(out):
        click.echo(path.as_posix())
