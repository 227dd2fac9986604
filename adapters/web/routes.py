"""The local web chat: the page at `/` and the small JSON API it talks to.

The page is plain files (no build step, nothing from a CDN). The API speaks to the same
`Sensei.handle` as every platform adapter, as platform `web`, one user per browser (cookie).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import HttpProcessingError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from adapters.web import payload, session
from adapters.web.payload import BadRequest, ChatRequest
from bot.wiring import Core
from core.errors import Code
from core.messages import Image, Message, Reply, StateKey
from core.turn_pipeline import TurnPipeline

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
ASSETS = {"app.js": "text/javascript", "app.css": "text/css", "icon.svg": "image/svg+xml"}
MAX_JSON = 64 * 1024
MAX_PHOTO = 10 * 1024 * 1024  # phone photos are 2-8 MB; the page shrinks bigger ones before sending
MAX_FILE = 1_000_000  # a menu CSV: the same cap as the import (core/restaurants/menu_csv.py)
FILE_TYPES = ("text/csv", "text/plain", "text/tab-separated-values", "application/vnd.ms-excel", "application/octet-stream", "")
_MULTIPART_SLACK = 64 * 1024  # boundaries and the small text fields around the photo
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

try:  # iPhones send HEIC; pillow-heif teaches Pillow to open it
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - a dependency, but the chat still works without HEIC
    pass


def _accept_lang(request: web.Request) -> str:
    return "ja" if request.headers.get("Accept-Language", "").lower().startswith("ja") else "en"


def _too_big() -> BadRequest:
    return BadRequest(
        413, Code.IMAGE_UNREADABLE, f"The photo is larger than {MAX_PHOTO // (1024 * 1024)} MB; please send a smaller one.",
        f"写真が{MAX_PHOTO // (1024 * 1024)}MBを超えています。小さい写真を送ってください。",
    )


def _not_image() -> BadRequest:
    return BadRequest(
        415, Code.IMAGE_UNREADABLE, "That file is not a picture I can read; send a JPEG, PNG, WebP or HEIC photo.",
        "その画像を読み取れませんでした。JPEG・PNG・WebP・HEICの写真を送ってください。",
    )


def _file_too_big() -> BadRequest:
    return BadRequest(
        413, Code.MENU_NOT_CHANGED, f"The file is larger than {MAX_FILE // 1000:,} KB; a menu CSV is far smaller.",
        f"ファイルが{MAX_FILE // 1000:,} KBを超えています。メニューのCSVはもっと小さいはずです。",
    )


def sniff_image(data: bytes) -> str:
    """The image's media type, from its bytes (never from the name or the header the browser sent)."""
    try:
        with PILImage.open(io.BytesIO(data)) as img:
            fmt = (img.format or "").lower()
            if img.width < 1 or img.height < 1:
                raise _not_image()
    except (UnidentifiedImageError, OSError, ValueError, PILImage.DecompressionBombError):
        raise _not_image() from None
    return {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heif": "image/heic", "gif": "image/gif"}.get(
        fmt, f"image/{fmt or 'unknown'}"
    )


class Response:
    """core.transport.Transport for the web chat: the reply leaves in the HTTP response itself, so
    "sending" is turning it into the page's JSON; the page shows its own "thinking" meanwhile."""

    def __init__(self, core: Core, key: StateKey) -> None:
        self.core = core
        self.key = key
        self.answer: dict[str, Any] | None = None

    async def working(self, lang: str) -> None:
        return None

    async def send(self, reply: Reply) -> None:
        user_id = None
        if reply.images:
            user_id = (await self.core.identity.resolve(self.key)).user_id
        self.answer = await payload.reply_json(reply, self.core.media, user_id=user_id)


class WebChat:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.pipeline = TurnPipeline(core.sensei)

    # ---- the page -------------------------------------------------------------------------
    async def index(self, request: web.Request) -> web.StreamResponse:
        token = self.core.settings.webchat_token
        if token is not None and not session.has_access(request, token):
            if not session.token_matches(request.query.get("token"), token):
                return _token_page()
            response: web.StreamResponse = _see_root()  # the token leaves the address bar
            session.grant_access(response, token, secure=self._secure(request))
            return response
        uid, new = session.browser_id(request)
        html = payload.fill_page((STATIC / "index.html").read_text("utf-8"), _accept_lang(request))
        response = web.Response(text=html,
                                headers={"Cache-Control": "no-cache", "Content-Type": "text/html; charset=utf-8", **SECURITY_HEADERS})
        if new and await self._new_session_allowed(request):
            session.remember(response, uid, secure=self._secure(request))  # refused: the page's first post says why
        return response

    async def login(self, request: web.Request) -> web.StreamResponse:
        """The token page's form (a private web chat): the token once, then a cookie."""
        token = self.core.settings.webchat_token
        if token is None:
            return _see_root()
        form = await request.post()
        given = form.get("token")
        if not session.token_matches(given if isinstance(given, str) else None, token):
            return _token_page()
        response = _see_root()
        session.grant_access(response, token, secure=self._secure(request))
        return response

    async def _new_session_allowed(self, request: web.Request) -> bool:
        limiter = self.core.sensei.limiter
        return limiter is None or await limiter.allow_new_session(session.client_address(request))

    def _secure(self, request: web.Request) -> bool:
        """Mark the cookies Secure when the chat is served over HTTPS: PUBLIC_BASE_URL says so
        (a TLS proxy in front), whatever Host header a request carries."""
        return request.secure or urlparse(self.core.settings.public_base_url).scheme == "https"

    async def asset(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in ASSETS:
            raise web.HTTPNotFound()
        # no-cache: the browser revalidates (ETag / Last-Modified), so a new release shows at once
        return web.FileResponse(STATIC / name,
                                headers={"Cache-Control": "no-cache", "Content-Type": ASSETS[name], "X-Content-Type-Options": "nosniff"})

    async def words(self, request: web.Request) -> web.Response:
        lang = "ja" if request.query.get("lang") == "ja" else "en"
        return web.json_response(payload.page_json(lang), headers={"Cache-Control": "no-cache"}, dumps=_dumps)

    async def history(self, request: web.Request) -> web.Response:
        """This browser's recent turns, oldest first, so a reloaded page shows the conversation again."""
        uid, new = session.browser_id(request)
        turns = [] if new or self.core.recent is None else await self.core.recent.of(session.state_key(uid), limit=payload.HISTORY_TURNS)
        return web.json_response({"turns": [{"said": t.said, "answer": t.answer} for t in turns]},
                                 headers={"Cache-Control": "no-store"}, dumps=_dumps)

    # ---- the API --------------------------------------------------------------------------
    async def chat(self, request: web.Request) -> web.Response:
        return await self._api(request, self._read_chat)

    async def action(self, request: web.Request) -> web.Response:
        return await self._api(request, self._read_action)

    async def photo(self, request: web.Request) -> web.Response:
        return await self._api(request, self._read_photo)

    async def file(self, request: web.Request) -> web.Response:
        return await self._api(request, self._read_file)

    async def _api(self, request: web.Request, read: Callable[[web.Request], Awaitable[tuple[ChatRequest, list[Image]]]]) -> web.Response:
        uid, new = session.browser_id(request)
        lang = _accept_lang(request)
        try:
            token = self.core.settings.webchat_token
            if token is not None and not session.has_access(request, token):
                raise BadRequest(401, Code.BAD_SIGNATURE, "This web chat is private: open it with its token first.",
                                 "このウェブチャットは非公開です。先にトークン付きで開いてください。")
            self._check_origin(request)
            if new and not await self._new_session_allowed(request):
                raise BadRequest(429, Code.RATE_LIMITED, "Too many new visitors from your address; please wait a few minutes.",
                                 "このアドレスからの新しい訪問が多すぎます。数分待ってからお試しください。")
            req, images = await read(request)
            lang = req.lang or lang
            body, status = await self._turn(uid, req, images), 200
        except BadRequest as e:
            log.info("web chat request refused", extra={"status": e.status, "code": e.code.value, "reason": e.text["en"]})
            body, status = e.body(e.lang or lang), e.status
        response = web.json_response(body, status=status, headers={"Cache-Control": "no-store"}, dumps=_dumps)
        if new and status != 429 and status != 401:
            session.remember(response, uid, secure=self._secure(request))
        return response

    def _check_origin(self, request: web.Request) -> None:
        """Refuse posts from other sites' pages (the cookie is SameSite=Lax; this is the second lock)."""
        origin = request.headers.get("Origin")
        if origin is None:  # not sent by a browser's cross-site request: curl, tests, same-origin GETs
            return
        parsed, public = urlparse(origin), urlparse(self.core.settings.public_base_url)
        allowed = {(request.scheme, request.host), (public.scheme, public.netloc)}
        if (parsed.scheme, parsed.netloc) not in allowed:
            raise BadRequest(403, Code.NOT_ALLOWED, "Requests from other sites are not accepted.",
                             "他のサイトからのリクエストは受け付けません。")

    async def _read_json(self, request: web.Request) -> Any:
        if request.content_type != "application/json":
            raise BadRequest(415, Code.NOT_ALLOWED, "Send the body as application/json.", "本文は application/json で送ってください。")
        if request.content_length is not None and request.content_length > MAX_JSON:
            raise BadRequest(413, Code.NOT_ALLOWED, "The request is too large.", "リクエストが大きすぎます。")
        raw = await request.content.read(MAX_JSON + 1)
        if len(raw) > MAX_JSON:
            raise BadRequest(413, Code.NOT_ALLOWED, "The request is too large.", "リクエストが大きすぎます。")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # RecursionError: nested thousands deep
            raise BadRequest(400, Code.NOT_ALLOWED, "The body is not valid JSON.", "本文が正しいJSONではありません。") from None

    async def _read_chat(self, request: web.Request) -> tuple[ChatRequest, list[Image]]:
        return payload.parse_chat(await self._read_json(request)), []

    async def _read_action(self, request: web.Request) -> tuple[ChatRequest, list[Image]]:
        return payload.parse_action(await self._read_json(request)), []

    async def _read_photo(self, request: web.Request) -> tuple[ChatRequest, list[Image]]:
        """multipart/form-data: `photo` (the file), and optionally `text`, `lang`, `id`."""
        if request.content_type != "multipart/form-data":
            raise BadRequest(415, Code.IMAGE_UNREADABLE, "Send the photo as multipart/form-data in a field named photo.",
                             "写真は multipart/form-data の photo 欄で送ってください。")
        if request.content_length is not None and request.content_length > MAX_PHOTO + _MULTIPART_SLACK:
            raise _too_big()
        fields: dict[str, str] = {}
        try:
            return await self._read_form(request, fields)
        except BadRequest as e:
            e.lang = fields.get("lang") if fields.get("lang") in ("en", "ja") else None
            raise

    async def _read_file(self, request: web.Request) -> tuple[ChatRequest, list[Image]]:
        """multipart/form-data: `file` (a menu CSV, at most 1 MB), and optionally `text`, `lang`, `id`.
        Returns the request and, as its second item, the file (passed to the core as Message.files)."""
        if request.content_type != "multipart/form-data":
            raise BadRequest(415, Code.MENU_NOT_CHANGED, "Send the file as multipart/form-data in a field named file.",
                             "ファイルは multipart/form-data の file 欄で送ってください。")
        if request.content_length is not None and request.content_length > MAX_FILE + _MULTIPART_SLACK:
            raise _file_too_big()
        fields: dict[str, str] = {}
        try:
            return await self._read_form(request, fields, field="file")
        except BadRequest as e:
            e.lang = fields.get("lang") if fields.get("lang") in ("en", "ja") else None
            raise

    async def _read_form(self, request: web.Request, fields: dict[str, str], *, field: str = "photo") -> tuple[ChatRequest, list[Image]]:
        photo: Image | None = None
        try:
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue  # a nested multipart: nothing we asked for
                if part.name == field and photo is None and field == "file":
                    kind = (part.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                    if kind not in FILE_TYPES:
                        raise BadRequest(415, Code.MENU_NOT_CHANGED, "Send the menu as a CSV file (text/csv).",
                                         "メニューはCSVファイル(text/csv)で送ってください。")
                    data = await _read_capped(part, MAX_FILE, _file_too_big)
                    photo = Image(data=data, filename=(part.filename or "menu.csv")[:200], media_type=kind or "text/csv")
                elif part.name == field and photo is None:
                    data = await _read_capped(part, MAX_PHOTO, _too_big)
                    photo = Image(data=data, filename=(part.filename or "photo")[:200], media_type=sniff_image(data))
                elif part.name in ("text", "lang", "id") and part.name not in fields:
                    raw = await _read_capped(part, payload.MAX_TEXT * 4, payload.text_too_long)  # 4 bytes a character at most
                    fields[part.name] = raw.decode("utf-8", "replace")
                else:
                    await part.release()
        except (ValueError, HttpProcessingError) as e:  # a broken multipart body
            raise BadRequest(400, Code.IMAGE_UNREADABLE, "The upload is not a valid multipart form.",
                             "アップロードの形式が正しくありません。") from e
        req = ChatRequest(text=payload.text_field(fields.get("text"), required=False), lang=payload.lang_field(fields.get("lang")),
                          client_id=payload.client_id_field(fields.get("id")))
        if (photo is None or not photo.data) and field == "file":
            raise BadRequest(400, Code.MENU_NOT_CHANGED, "No file was attached (field name: file).",
                             "ファイルが添付されていません(欄の名前: file)。")
        if photo is None or not photo.data:
            raise BadRequest(400, Code.IMAGE_UNREADABLE, "No photo was attached (field name: photo).",
                             "写真が添付されていません(欄の名前: photo)。")
        return req, [photo]

    async def _turn(self, uid: str, req: ChatRequest, images: list[Image]) -> dict[str, Any]:
        key = session.state_key(uid)
        files = [i for i in images if i.media_type is not None and not i.media_type.startswith("image/")]
        images = [i for i in images if i not in files]
        message = Message(
            key=key, text=req.text, images=images, files=files, action=req.action, action_values=req.values, lang=req.lang,
            # the page sends a fresh id per message and the same id when it retries: one effect
            event_id=f"{uid}:{req.client_id}" if req.client_id else None,
        )
        response = Response(self.core, key)
        reply = await self.pipeline.run(message, response)
        if reply is None:  # the page retried a message already answered
            return {"text": "", "lang": req.lang or "en", "cards": [], "tools": [], "error": None, "actions": [], "form": None,
                    "images": [], "files": [], "duplicate": True}
        assert response.answer is not None  # `run` returns a reply only once it was sent
        return response.answer


async def _read_capped(part: BodyPartReader, cap: int, too_big: Callable[[], BadRequest]) -> bytes:
    buf = bytearray()
    while chunk := await part.read_chunk(64 * 1024):
        buf += chunk
        if len(buf) > cap:
            raise too_big()
    return bytes(buf)


_TOKEN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sake Sensei</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<h1>Sake Sensei</h1><p>This web chat is private. Enter its token (once; this browser remembers it).</p>
<p lang="ja">このウェブチャットは非公開です。トークンを入力してください(このブラウザが覚えます)。</p>
<form method="post" action="/login"><input type="password" name="token" autocomplete="current-password" required>
<button type="submit">Open</button></form></body></html>"""


def _see_root() -> web.Response:
    return web.Response(status=303, headers={"Location": "/", "Cache-Control": "no-store"})


def _token_page() -> web.Response:
    return web.Response(status=401, text=_TOKEN_PAGE, content_type="text/html",
                        headers={"Cache-Control": "no-store", **SECURITY_HEADERS})


def _dumps(obj: Any) -> str:
    # A lone surrogate echoed from the request (a JSON "\ud800" escape) cannot be sent as UTF-8: "?" instead of a 500
    return json.dumps(obj, ensure_ascii=False).encode("utf-8", "replace").decode("utf-8")


def mount(app: web.Application, core: Core) -> None:
    """Add the page (`/`, `/static/...`) and its API (`/api/chat`, `/api/action`, `/api/photo`, `/api/file`)."""
    chat = WebChat(core)
    app.router.add_get("/", chat.index)
    app.router.add_post("/login", chat.login)
    app.router.add_get("/static/{name}", chat.asset)
    app.router.add_get("/api/words", chat.words)
    app.router.add_get("/api/history", chat.history)
    app.router.add_post("/api/chat", chat.chat)
    app.router.add_post("/api/action", chat.action)
    app.router.add_post("/api/photo", chat.photo)
    app.router.add_post("/api/file", chat.file)
