"""flights: group tastings per channel

A flight (飲み比べ) per workspace and channel, its sakes in tasting order, its members and their
ratings (each linked to the tasting it put in the member's log). `open_key` is unique and set only
while a flight is open: one open flight per channel on every backend.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 13:04:01.382827
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('flights',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=128), nullable=False),
    sa.Column('open_key', sa.String(length=160), nullable=True),
    sa.Column('starter_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=128), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_how', sa.String(length=16), nullable=True),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_flights_status')),
    sa.CheckConstraint('size >= 1 AND size <= 5', name=op.f('ck_flights_size')),
    sa.ForeignKeyConstraint(['starter_id'], ['users.id'], name=op.f('fk_flights_starter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_flights_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flights')),
    sa.UniqueConstraint('open_key', name=op.f('uq_flights_open_key'))
    )
    with op.batch_alter_table('flights', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flights_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('flight_members',
    sa.Column('flight_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['flight_id'], ['flights.id'], name=op.f('fk_flight_members_flight_id_flights'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flight_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('flight_id', 'user_id', name=op.f('pk_flight_members'))
    )
    with op.batch_alter_table('flight_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flight_members_user_id'), ['user_id'], unique=False)

    op.create_table('flight_ratings',
    sa.Column('flight_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Float(), nullable=False),
    sa.Column('tasting_id', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('stars >= 0.5 AND stars <= 5', name=op.f('ck_flight_ratings_stars')),
    sa.ForeignKeyConstraint(['flight_id'], ['flights.id'], name=op.f('fk_flight_ratings_flight_id_flights'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tasting_id'], ['tastings.id'], name=op.f('fk_flight_ratings_tasting_id_tastings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flight_ratings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('flight_id', 'user_id', 'brand_id', name=op.f('pk_flight_ratings'))
    )
    with op.batch_alter_table('flight_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flight_ratings_user_id'), ['user_id'], unique=False)

    op.create_table('flight_sakes',
    sa.Column('flight_id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('notice', sa.String(length=64), nullable=False),
    sa.Column('notice_args', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['flight_id'], ['flights.id'], name=op.f('fk_flight_sakes_flight_id_flights'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('flight_id', 'brand_id', name=op.f('pk_flight_sakes'))
    )


def downgrade() -> None:
    op.drop_table('flight_sakes')
    with op.batch_alter_table('flight_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flight_ratings_user_id'))

    op.drop_table('flight_ratings')
    with op.batch_alter_table('flight_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flight_members_user_id'))

    op.drop_table('flight_members')
    with op.batch_alter_table('flights', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flights_workspace_id'))

    op.drop_table('flights')
