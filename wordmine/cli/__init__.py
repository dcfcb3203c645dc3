"""The command line: the only code that reads argv, prints, or exits.

One module per command group (``count_commands``: count, merge;
``mine_commands``: discover, contrast; ``segment_commands``: learn, segment,
eval), the option groups they share in ``options``, and stdout, -o and input
handling in ``streams``.

Exit status: 0 success (also when the reader of stdout goes away), 1 a runtime
error (one line on stderr), 2 a usage error, 130 interrupted.
"""

from __future__ import annotations

import sys

import click

from wordmine import __version__
from wordmine.cli.count_commands import count_command, merge_command
from wordmine.cli.mine_commands import contrast_command, discover_command
from wordmine.cli.segment_commands import eval_command, learn_command, segment_command
from wordmine.cli.streams import PipeClosed
from wordmine.errors import WordmineError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wordmine")
def cli() -> None:
    """Mine the words of raw Chinese text, with no labelled data.

    Every command reads files or - (stdin), writes data to stdout (or -o FILE)
    and logs to stderr only.
    """


for _command in (count_command, merge_command, discover_command, contrast_command, learn_command,
                 segment_command, eval_command):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; turn library errors into one line and an exit status."""
    try:
        cli.main(args=argv, prog_name="wordmine", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("wordmine: interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("wordmine: interrupted", err=True)
        sys.exit(130)
    except PipeClosed:
        sys.exit(0)
    except WordmineError as exc:
        click.echo(f"wordmine: error: {exc}", err=True)
        sys.exit(1)
    except MemoryError:
        click.echo("wordmine: error: out of memory; give a smaller --memory budget or more RAM", err=True)
        sys.exit(1)
    sys.exit(0)
