"""Alembic's entry point: run the migrations on the connection ``silkhub.store`` hands over.

There is no alembic.ini: ``silkhub.store.migrate.alembic_config`` builds the configuration in
code and passes an open connection in ``config.attributes["connection"]``. To write a new
revision, from the repository root::

    .venv/bin/python -c "from silkhub.store.migrate import revision; revision('what changed')"
"""

from __future__ import annotations

from alembic import context

from silkhub.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run silkhub migrations through silkhub.store.upgrade(engine)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
