"""web visitors alone: every web chat browser gets its own workspace

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 10:20:00.000000

Web chat visitors shared one workspace ("web"), so the first to set up a restaurant owned it for
everyone. Each existing web user moves to a workspace of its own (external id = its browser id),
keeping its tastings and preferences (they belong to the user). A restaurant set up in the old
shared workspace stays with it, where no visitor reaches it any more.
"""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

_workspaces = sa.table("workspaces", sa.column("id", sa.Integer), sa.column("platform", sa.String),
                       sa.column("external_id", sa.String), sa.column("created_at", sa.DateTime(timezone=True)))


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    shared = conn.execute(sa.text("SELECT id FROM workspaces WHERE platform = 'web' AND external_id = 'web'")).scalar()
    if shared is None:
        return
    users = conn.execute(sa.text("SELECT id, external_id FROM users WHERE workspace_id = :ws"), {"ws": shared}).all()
    for user_id, external_id in users:
        existing = conn.execute(sa.text("SELECT id FROM workspaces WHERE platform = 'web' AND external_id = :x"),
                                {"x": external_id}).scalar()
        if existing is None:
            conn.execute(sa.insert(_workspaces).values(platform="web", external_id=external_id, created_at=datetime.now(UTC)))
            existing = conn.execute(sa.text("SELECT id FROM workspaces WHERE platform = 'web' AND external_id = :x"),
                                    {"x": external_id}).scalar()
        conn.execute(sa.text("UPDATE users SET workspace_id = :ws WHERE id = :id"), {"ws": existing, "id": user_id})


def downgrade() -> None:
    conn = op.get_bind()
    shared = conn.execute(sa.text("SELECT id FROM workspaces WHERE platform = 'web' AND external_id = 'web'")).scalar()
    if shared is None:
        conn.execute(sa.insert(_workspaces).values(platform="web", external_id="web", created_at=datetime.now(UTC)))
        shared = conn.execute(sa.text("SELECT id FROM workspaces WHERE platform = 'web' AND external_id = 'web'")).scalar()
    conn.execute(sa.text("UPDATE users SET workspace_id = :ws WHERE platform = 'web'"), {"ws": shared})
