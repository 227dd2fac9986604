"""The restaurant services one process builds once and hands to the agent's tools."""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog import CatalogSearch
from core.db import Database, utcnow
from core.recommender import Recommender
from core.restaurants.cheatsheet import CheatSheet
from core.restaurants.menu import Menu
from core.restaurants.menu_csv import MenuCsv
from core.restaurants.picks import Picks
from core.restaurants.roles import Restaurants
from core.tasting import Clock


@dataclass(slots=True)
class RestaurantServices:
    restaurants: Restaurants
    menu: Menu
    csv: MenuCsv
    picks: Picks
    sheet: CheatSheet

    @classmethod
    def build(cls, db: Database, search: CatalogSearch, recommender: Recommender, clock: Clock = utcnow) -> "RestaurantServices":
        restaurants = Restaurants(db, clock)
        menu = Menu(db, search, restaurants, clock)
        return cls(restaurants, menu, MenuCsv(menu), Picks(menu, recommender), CheatSheet(menu, recommender.pairing, recommender.space))
