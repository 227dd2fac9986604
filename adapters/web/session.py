"""Who is chatting in this browser: a random id in an HttpOnly cookie, one web user per browser.

The id is the only credential the web chat has, so it is long and random (never derived from
anything guessable), the page's scripts cannot read it (HttpOnly), and other sites cannot
make the browser send it with their forms (SameSite=Lax). A cookie of the wrong shape is
replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets

from aiohttp import web

from core.messages import StateKey

COOKIE = "ss_uid"
ACCESS = "ss_access"  # a private web chat (WEBCHAT_TOKEN): this browser gave the token once
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
    """Every browser is its own user of platform `web`, in its own workspace: visitors are strangers
    to each other, so nothing (a restaurant, a rate budget) is shared between them."""
    return StateKey("web", uid, "browser", uid)


def access_value(token: str) -> str:
    """The access cookie's value: derived from the token, never the token itself."""
    return hmac.new(token.encode(), b"sake-sensei web chat access", hashlib.sha256).hexdigest()


def has_access(request: web.Request, token: str) -> bool:
    return hmac.compare_digest(request.cookies.get(ACCESS, "").encode(), access_value(token).encode())


def token_matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def grant_access(response: web.StreamResponse, token: str, *, secure: bool) -> None:
    response.set_cookie(ACCESS, access_value(token), max_age=MAX_AGE, path="/", httponly=True, samesite="Lax", secure=secure)


def client_address(request: web.Request) -> str:
    """The visitor's address; behind a proxy on this machine or network, the one it forwarded."""
    remote = request.remote or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
    try:
        if forwarded and (ipaddress.ip_address(remote).is_private or ipaddress.ip_address(remote).is_loopback):
            return str(ipaddress.ip_address(forwarded))
    except ValueError:
        pass
    return remote
