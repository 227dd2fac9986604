"""Restaurants: a workspace that serves sake, the people who run it, and its sake menu.

One restaurant per workspace (a Slack team, a Discord guild, a LINE group). Every row
hangs off the restaurant, and the restaurant off its workspace, so a query that starts
from the asker's workspace cannot reach another workspace's menu, staff or stock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db.base import Base, UtcDateTime, utcnow


class RestaurantRow(Base):
    __tablename__ = "restaurants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class RestaurantMemberRow(Base):
    """Owner and staff. Everyone else in the workspace is a guest, so guests have no row."""

    __tablename__ = "restaurant_members"
    __table_args__ = (CheckConstraint("role IN ('owner', 'staff')", name="role"),)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"), primary_key=True)
    # Named user_id so that a user's export and forget (core.privacy) find their memberships.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(8))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class MenuItemRow(Base):
    """A sake on the menu: a catalog brand, optionally narrowed to a product or grade, with prices and stock.

    `grade` and `product` are "" rather than NULL when absent, so that the unique constraint
    sees 獺祭 (no grade) once; NULLs are never equal in SQL.
    """

    __tablename__ = "menu_items"
    __table_args__ = (
        UniqueConstraint("restaurant_id", "brand_id", "grade", "product", name="uq_menu_items_variant"),
        CheckConstraint("price_glass IS NULL OR price_glass >= 0", name="price_glass"),
        CheckConstraint("price_bottle IS NULL OR price_bottle >= 0", name="price_bottle"),
        CheckConstraint("count_left IS NULL OR count_left >= 0", name="count_left"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    restaurant_id: Mapped[int] = mapped_column(ForeignKey("restaurants.id", ondelete="CASCADE"), index=True)
    # No foreign key to brands: catalog refreshes keep old brands, and a menu must survive anyway.
    brand_id: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(32), default="")
    product: Mapped[str] = mapped_column(String(128), default="")
    price_glass: Mapped[int | None] = mapped_column(Integer)  # in the restaurant's currency (yen), whole units
    price_bottle: Mapped[int | None] = mapped_column(Integer)
    in_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    count_left: Mapped[int | None] = mapped_column(Integer)  # NULL: not counted, only in or out of stock
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
