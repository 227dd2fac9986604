"""`sake-sensei` (and `python -m bot`): exit 0 on success, 2 on bad usage, 1 on failure with one line on stderr."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import TYPE_CHECKING, Sequence

from bot.config import ConfigError, Settings
from bot.wiring import StartupError

if TYPE_CHECKING:
    from core.labels import LabelResult

log = logging.getLogger("sake_sensei")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sake-sensei", description="Sake Sensei, an AI sake sommelier.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the web server (webhooks, web chat, health)")
    serve.add_argument("--port", type=int, help="port to listen on (default: $PORT or 8080)")

    sub.add_parser("worker", help="run queued jobs from Redis (REDIS_URL): turns and replies for the web processes")
    sub.add_parser("discord", help="run the Discord gateway bot (DISCORD_BOT_TOKEN)")
    sub.add_parser("slack-socket", help="run the Slack bot in Socket Mode (no public URL needed)")

    chat = sub.add_parser("chat", help="chat with the bot in the terminal")
    chat.add_argument("--user", default="local-user", help="local user name")
    chat.add_argument("--lang", choices=("en", "ja"), help="language to start in")

    ask = sub.add_parser("ask", help="one turn: print the reply")
    ask.add_argument("--user", default="local-user")
    ask.add_argument("--workspace", default="local")
    ask.add_argument("--image", help="a label photo to send with the text")
    ask.add_argument("--json", action="store_true", help="print the structured reply")
    ask.add_argument("text", nargs="*", help="what to ask")

    identify = sub.add_parser("identify", help="read label photos and print the matching catalog brands")
    identify.add_argument("paths", nargs="+", metavar="PATH", help="label photos (JPEG, PNG, WebP, HEIC)")
    identify.add_argument("--json", action="store_true", help="one JSON object per path, one a line")

    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="SUBCOMMAND")
    db_sub.add_parser("upgrade", help="apply migrations")

    export = sub.add_parser("export", help="print a user's data as JSON")
    export.add_argument("--user", required=True, help="numeric id, platform:workspace:user, or a platform user id")
    forget = sub.add_parser("forget", help="erase a user's data")
    forget.add_argument("--user", required=True, help="numeric id, platform:workspace:user, or a platform user id")

    catalog = sub.add_parser("catalog", help="catalog commands")
    cat_sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="SUBCOMMAND")
    load = cat_sub.add_parser("load", help="load or refresh the bundled sake catalog (idempotent)")
    load.add_argument("--force", action="store_true", help="rewrite the catalog rows even if unchanged")

    line = sub.add_parser("line", help="LINE commands")
    line_sub = line.add_subparsers(dest="line_command", required=True, metavar="SUBCOMMAND")
    richmenu = line_sub.add_parser("richmenu", help="create the rich menu (with its generated image) and make it the default")
    richmenu.add_argument("--save-image", metavar="PATH", help="also write the generated image to PATH")
    richmenu.add_argument("--no-default", action="store_true", help="create the menu without making it every user's default")
    return p


def _setup_logging(settings: Settings) -> None:
    from bot.logs import configure

    configure(settings)


async def _ask(settings: Settings, args: argparse.Namespace) -> int:
    from bot.wiring import build_core
    from core.messages import Image, Message, StateKey

    text = " ".join(args.text)
    images = []
    if args.image:
        try:
            with open(args.image, "rb") as fh:
                images.append(Image(data=fh.read(), filename=args.image))
        except OSError as e:
            print(f"sake-sensei: cannot read {args.image}: {e.strerror}", file=sys.stderr)
            return 1
    core = await build_core(settings)
    try:
        key = StateKey("local", args.workspace, "cli", args.user)
        reply = await core.sensei.handle(Message(key=key, text=text, images=images))
    finally:
        await core.close()
    assert reply is not None
    if args.json:
        print(json.dumps(reply.as_dict(), ensure_ascii=False))
    else:
        from adapters.console import plain_text

        print(plain_text(reply))
    return 0


async def _identify(settings: Settings, args: argparse.Namespace) -> int:
    """Every path gets a line (its error inside when unreadable); exit 1 when a path could not be opened at all."""
    from bot.wiring import open_database
    from core.catalog import Catalog
    from core.catalog.loader import ensure_catalog
    from core.errors import Code, SenseiError
    from core.labels import LabelReader, LabelResult

    db = await open_database(settings)
    try:
        await ensure_catalog(db)
        catalog = await Catalog.from_db(db)
    finally:
        await db.dispose()
    reader = LabelReader(catalog)
    status = 0
    try:
        await reader.warm_up()  # so that elapsed_ms is the photo's time, not the model's start-up
        for path in args.paths:
            try:
                with open(path, "rb") as fh:
                    data = fh.read(reader.limits.max_bytes + 1)
            except OSError as e:
                reason = f"cannot read {path}: {e.strerror or e}"
                print(f"sake-sensei: {reason}", file=sys.stderr)
                result = LabelResult([], "", 0, SenseiError(Code.IMAGE_UNREADABLE, reason[0].upper() + reason[1:] + "."))
                status = 1
            else:
                result = await reader.identify(data)
            if args.json:
                print(json.dumps(result.as_dict(path), ensure_ascii=False), flush=True)
            else:
                print(_identify_line(path, result), flush=True)
    finally:
        reader.close()
    return status


def _identify_line(path: str, result: LabelResult) -> str:
    if result.error and not result.candidates:
        return f"{path}: {result.error.code.value} {result.error.message()}"
    top, rest = result.candidates[0], result.candidates[1:3]
    line = f"{path}: {top.brand.label()} [{top.brand.id}] {top.confidence:.0%}"
    if rest:
        line += "; or " + ", ".join(f"{c.brand.label()} {c.confidence:.0%}" for c in rest)
    return line + f" ({result.elapsed_ms} ms)"


async def _discord(settings: Settings) -> int:
    import signal

    import discord

    from adapters.discord.client import make_client
    from adapters.discord.endpoints import point_at
    from adapters.discord.turns import DiscordTurns
    from bot.posters import sweeping
    from bot.wiring import build_core

    if not settings.discord_bot_token:
        print("sake-sensei: DISCORD_BOT_TOKEN is not set (the bot token from the Discord Developer Portal)", file=sys.stderr)
        return 1
    core = await build_core(settings)
    point_at(settings.discord_api_url, settings.discord_gateway_url)
    client = make_client(DiscordTurns(core.sensei), core.search, shards=settings.discord_shard_count,
                         message_content=settings.discord_message_content)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(client.close()))
    try:
        # No jobs.start() here: this process registers no job handlers, and taking over the
        # server's queued jobs would drop them.
        async with client, sweeping(core, "discord"):
            await client.start(settings.discord_bot_token)
    except discord.LoginFailure:
        print("sake-sensei: Discord rejected DISCORD_BOT_TOKEN", file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print("sake-sensei: Discord refused the Message Content intent: enable it for the bot in the Developer Portal "
              "or unset DISCORD_MESSAGE_CONTENT", file=sys.stderr)
        return 1
    finally:
        await core.close()
    return 0


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.wiring import build_core
    from adapters.console import run_console

    core = await build_core(settings)
    try:
        await run_console(core.sensei, user=args.user, lang=args.lang)
    finally:
        await core.close()
    return 0


async def _slack_socket(settings: Settings) -> int:
    import signal

    from adapters.slack.app import SlackOptions, run_socket_mode
    from bot.posters import sweeping
    from bot.wiring import build_core

    options = SlackOptions.from_settings(settings, socket_mode=True)
    if options is None:
        print("sake-sensei: slack-socket needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN "
              "(or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for many workspaces)", file=sys.stderr)
        return 1
    from bot.server import tune_gc

    core = await build_core(settings)
    tune_gc()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print("Sake Sensei is connected to Slack in Socket Mode (Ctrl-C to stop)", flush=True)
    try:
        async with sweeping(core, "slack"):
            await run_socket_mode(core, options, stop=stop)
    finally:
        await core.close()
    return 0


async def _db_upgrade(settings: Settings) -> int:
    from bot.wiring import open_database

    db = await open_database(settings)
    await db.dispose()
    print("database is up to date")
    return 0


async def _catalog_load(settings: Settings, force: bool) -> int:
    from bot.wiring import after_catalog_change, open_database
    from core.catalog import Catalog
    from core.catalog.loader import load_catalog

    db = await open_database(settings)
    try:
        result = await load_catalog(db, force=force)
        if result["changed"]:
            await after_catalog_change(db, await Catalog.from_db(db))
    finally:
        await db.dispose()
    state = "loaded" if result["changed"] else "already up to date"
    print(
        f"catalog {state} (version {result['version']}): {result['brands']} brands, {result['flavor_charts']} flavor charts, "
        f"{result['tags']} tags, {result['breweries']} breweries, {result['products']} products, {result['ranked']} ranked brands"
    )
    return 0


async def _privacy(settings: Settings, command: str, ref: str) -> int:
    from bot.wiring import open_database
    from core.privacy import export_user, forget_user

    db = await open_database(settings)
    try:
        if command == "export":
            print(json.dumps(await export_user(db, ref), ensure_ascii=False, indent=2))
        else:
            removed = await forget_user(db, ref)
            print("erased: " + ", ".join(f"{n} {t}" for t, n in removed.items() if n))
    except LookupError as e:
        print(f"sake-sensei: {e.args[0]}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    return 0


async def _line_richmenu(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.line.richmenu import install_rich_menu, richmenu_image
    from adapters.line.webhook import LineClients

    if not settings.line_channel_access_token:
        print("sake-sensei: LINE_CHANNEL_ACCESS_TOKEN is not set", file=sys.stderr)
        return 1
    image = richmenu_image()
    if args.save_image:
        try:
            with open(args.save_image, "wb") as fh:
                fh.write(image)
        except OSError as e:
            print(f"sake-sensei: cannot write {args.save_image}: {e.strerror}", file=sys.stderr)
            return 1
    from linebot.v3.messaging import ApiException

    clients = LineClients.create(settings.line_channel_access_token, settings.line_api_url, settings.line_data_api_url)
    try:
        menu_id = await install_rich_menu(clients, image, make_default=not args.no_default)
    except ApiException as e:
        print(f"sake-sensei: LINE refused the rich menu (HTTP {e.status})", file=sys.stderr)
        return 1
    finally:
        await clients.close()
    print(f"rich menu {menu_id} created" + ("" if args.no_default else " and set as the default"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if getattr(args, "port", None) is not None:
            if not 0 < args.port < 65536:
                print("sake-sensei: --port must be from 1 to 65535", file=sys.stderr)
                return 2
            settings = settings.with_port(args.port)
        _setup_logging(settings)
        if args.command == "serve":
            from bot.server import serve

            asyncio.run(serve(settings))
            return 0
        if args.command == "worker":
            from bot.worker import run_worker

            asyncio.run(run_worker(settings))
            return 0
        if args.command == "ask":
            if not args.text and not args.image:
                print("sake-sensei: ask needs TEXT or --image", file=sys.stderr)
                return 2
            return asyncio.run(_ask(settings, args))
        if args.command == "identify":
            return asyncio.run(_identify(settings, args))
        if args.command == "discord":
            return asyncio.run(_discord(settings))
        if args.command == "slack-socket":
            return asyncio.run(_slack_socket(settings))
        if args.command == "chat":
            return asyncio.run(_chat(settings, args))
        if args.command == "db":
            return asyncio.run(_db_upgrade(settings))
        if args.command in ("export", "forget"):
            return asyncio.run(_privacy(settings, args.command, args.user))
        if args.command == "line":
            return asyncio.run(_line_richmenu(settings, args))
        if args.command == "catalog":
            return asyncio.run(_catalog_load(settings, args.force))
    except (ConfigError, StartupError) as e:
        print(f"sake-sensei: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # the one line an operator needs; details go to the log at DEBUG
        log.debug("command failed", exc_info=True)
        print(f"sake-sensei: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else 'failed'}", file=sys.stderr)
        return 1
    return 2
