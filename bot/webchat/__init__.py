"""The local web chat: a page at `/` and its JSON API, over the same core as every platform."""

from bot.webchat.routes import mount

__all__ = ["mount"]
