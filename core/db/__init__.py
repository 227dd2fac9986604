"""The database: SQLAlchemy async engine, table definitions (one module per domain) and sessions.

Importing this package registers every table on `Base.metadata`, which Alembic compares against.
"""

from core.db.base import Base, utcnow
from core.db import (  # noqa: F401  (register tables)
    catalog_tables, conversation_tables, flight_tables, identity_tables, inbox_tables, job_tables, label_tables, media_tables,
    preference_tables, ratelimit_tables, reachability_tables, restaurant_tables, slack_tables, tasting_tables,
    wishlist_tables,
)
from core.db.engine import Database

__all__ = ["Base", "Database", "utcnow"]
