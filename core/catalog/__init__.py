"""The bundled sake catalog: loading it into the database, holding it in memory, and searching it."""

from core.catalog.model import BrandInfo, Catalog, ProductInfo, FLAVOR_AXES
from core.catalog.search import CatalogSearch, Match

__all__ = ["BrandInfo", "Catalog", "CatalogSearch", "FLAVOR_AXES", "Match", "ProductInfo"]
