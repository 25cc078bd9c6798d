"""The command line: a thin adapter over the stage packages (the only place that prints)."""

from silkhub.cli.app import app


def main() -> None:
    """Entry point of the `silkhub` console script."""
    app()


__all__ = ["app", "main"]
