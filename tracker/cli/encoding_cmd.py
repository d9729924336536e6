from __future__ import annotations

from pathlib import Path

import click

from tracker.cli import cli
from tracker.cli.options import debug_option
from tracker.encoding import NotConverted, convert_to_utf8
from tracker.errors import EXIT_DATA


@cli.command("fix-encoding")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@debug_option
def fix_encoding(files: tuple[Path, ...], debug: bool) -> None:
    """把 GBK/UTF-16 文件转成 UTF-8 Convert files to UTF-8 in place.

    \b
    For files saved by a Chinese-locale Windows editor (GBK/GB18030) or by Notepad's
    "Unicode" (UTF-16). Files already in UTF-8 are left untouched. A file is written only
    when the conversion is certain (it decodes strictly, has no NUL or control characters,
    and reads as YAML); otherwise it is left exactly as it was and the command exits 1.
    Each file is replaced atomically: an interrupted run never leaves a half-written file.

    Example:  tracker fix-encoding submissions/postal/2024-Q2.yaml
    Exit codes: 0 converted or already UTF-8, 1 a file was not converted, 2 could not run.
    """
    refused = False
    for path in files:
        try:
            result = convert_to_utf8(path)
        except NotConverted as exc:
            refused = True
            click.echo(f"{path.as_posix()}: 未改动 not converted: {exc.format_message()}", err=True)
            continue
        if result.changed:
            click.echo(f"{path.as_posix()}: {result.source_encoding} → UTF-8")
        else:
            click.echo(f"{path.as_posix()}: 已是 UTF-8，未改动 (already UTF-8, unchanged)")
    if refused:
        raise SystemExit(EXIT_DATA)
