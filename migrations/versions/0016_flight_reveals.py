"""flight reveals: a day-old flight's reveal, posted to its channel once

One row per flight that closed itself (the day-long timeout), written with the close: when it
became due, who holds it (`claimed_until`, so one process of several posts it), how many posts
were tried and how it ended. Flights that closed before this revision get no row: their reveal
is a day old or more and is not posted late.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 23:10:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('flight_reveals',
    sa.Column('flight_id', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('last_error', sa.String(length=128), nullable=True),
    sa.ForeignKeyConstraint(['flight_id'], ['flights.id'], name=op.f('fk_flight_reveals_flight_id_flights'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('flight_id', name=op.f('pk_flight_reveals'))
    )
    with op.batch_alter_table('flight_reveals', schema=None) as batch_op:
        batch_op.create_index('ix_flight_reveals_pending', ['outcome', 'due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('flight_reveals', schema=None) as batch_op:
        batch_op.drop_index('ix_flight_reveals_pending')
    op.drop_table('flight_reveals')
