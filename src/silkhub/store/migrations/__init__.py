"""Alembic migrations, shipped inside the package and applied by ``silkhub.store.upgrade``."""
