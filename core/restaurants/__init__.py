"""Restaurant workspaces: roles (owner, staff, guests), the sake menu and its stock, CSV in and out,
picks from stock with pairings, and the staff cheat sheet. One concept per module."""

from core.restaurants.menu import Menu, MenuItem
from core.restaurants.roles import Member, Restaurant, Restaurants, Role, member_ref
from core.restaurants.values import Stock

__all__ = ["Member", "Menu", "MenuItem", "Restaurant", "Restaurants", "Role", "Stock", "member_ref"]
