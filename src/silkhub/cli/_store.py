"""What the store-backed commands share: the ``--data-dir`` option and opening the store.

The settings and the store (pydantic-settings, SQLAlchemy, Alembic) are imported when a
command opens them, not with this module: commands such as `network show` declare
``--data-dir`` beside others that never touch the database (see ``cli/app.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from silkhub.cli._common import fail

if TYPE_CHECKING:
    from silkhub.settings import Settings
    from silkhub.store import Store

#: Exit code when the database cannot be opened (not the user's input: the environment).
EXIT_UNAVAILABLE = 1

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder of the SQLite database (default: $SILKHUB_DATA_DIR or ./silkhub-data). "
        "Ignored when SILKHUB_DATABASE_URL names another database.",
        show_default=False,
    ),
]


def settings_or_exit(data_dir: Path | None = None, **overrides: object) -> Settings:
    """Settings from the environment with the command line's overrides, or exit 2."""
    from pydantic import ValidationError

    from silkhub.settings import Settings

    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        fail(f"bad settings: {problems}")


def store_or_exit(settings: Settings, *, with_default_network: bool = False) -> Store:
    """The store of ``settings``, migrated (with the embedded network if asked), or exit 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from silkhub.store import open_store

    try:
        return open_store(
            settings.model_copy(update={"import_default_network": with_default_network})
        )
    except SQLAlchemyError as exc:
        where = settings.url if not settings.database_url else "SILKHUB_DATABASE_URL"
        fail(
            f"cannot open the database ({where}): {exc.__class__.__name__}: {exc}", EXIT_UNAVAILABLE
        )
    except OSError as exc:  # e.g. --data-dir names a file: its folder cannot be made
        fail(f"cannot open the database ({settings.url}): {exc.strerror}", EXIT_UNAVAILABLE)
