"""Who is chatting in this browser: a random id in an HttpOnly cookie, one web user per browser.

The id is the only credential the web chat has, so it is long and random (never derived from
anything guessable), the page's scripts cannot read it (HttpOnly), and other sites cannot
make the browser send it with their forms (SameSite=Lax). A cookie of the wrong shape is
replaced, never trusted.
"""

from __future__ import annotations

import re
import secrets

from aiohttp import web

from core.messages import StateKey

COOKIE = "ss_uid"
MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers honour (Chrome caps cookies at 400 days)
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_browser_id() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, 192 random bits


def browser_id(request: web.Request) -> tuple[str, bool]:
    """The browser's id from its cookie, or a new one; True when it is new and must be set."""
    uid = request.cookies.get(COOKIE, "")
    if _SHAPE.match(uid):
        return uid, False
    return new_browser_id(), True


def remember(response: web.StreamResponse, uid: str, *, secure: bool) -> None:
    response.set_cookie(COOKIE, uid, max_age=MAX_AGE, path="/", httponly=True, samesite="Lax", secure=secure)


def state_key(uid: str) -> StateKey:
    """Every browser is its own user of platform `web`, workspace `web`."""
    return StateKey("web", "web", "browser", uid)
