"""Where the service keeps its data and how it listens, read from ``SILKHUB_*`` variables.

One settings object is shared by ``silkhub serve``, ``silkhub admin`` and the API factory, so
the command that creates a key and the server that checks it always open the same database.
Nothing is read at import time: build a ``Settings()`` when you need one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_DATA_DIR", "Settings"]

DEFAULT_DATA_DIR = Path("silkhub-data")


class Settings(BaseSettings):
    """The service's configuration; every field can be set as ``SILKHUB_<FIELD>``.

    ``database_url`` defaults to a SQLite file in ``data_dir``; set it to a
    ``postgresql://`` URL to use PostgreSQL. The departure window says which dated runs are
    stored when a network is imported (see docs/api.md, "Departure window").
    """

    model_config = SettingsConfigDict(env_prefix="SILKHUB_", extra="ignore")

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    #: Days before today from which departures are stored on import.
    window_past_days: int = Field(default=30, ge=0, le=3660)
    #: Days after today up to which departures are stored on import.
    window_future_days: int = Field(default=180, ge=1, le=3660)
    #: Fixed window bounds; when given they replace the rolling one (tests, reproducible runs).
    window_start: date | None = None
    window_end: date | None = None
    #: Largest request body accepted, in bytes (larger ones get 413).
    max_body_bytes: int = Field(default=1 << 20, ge=1024)
    #: Import the embedded Zhengzhou network when the store holds none yet.
    import_default_network: bool = True

    @model_validator(mode="after")
    def _check_window(self) -> Settings:
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise ValueError("window_end must not be before window_start")
        return self

    @property
    def url(self) -> str:
        """The database URL in use: ``database_url``, or the SQLite file in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'silkhub.db').resolve()}"
