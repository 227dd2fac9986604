"""The database: SQLAlchemy async engine, table definitions (one module per domain) and sessions.

Importing this package registers every table on `Base.metadata`, which Alembic compares against.
"""

from core.db.base import Base, utcnow
from core.db import catalog_tables, identity_tables, inbox_tables, slack_tables  # noqa: F401  (register tables)
from core.db.engine import Database

__all__ = ["Base", "Database", "utcnow"]
