"""The local web chat: a page at `/` and its JSON API, over the same core as every platform."""

from adapters.web.routes import mount

__all__ = ["mount"]
