"""`sake-sensei` (and `python -m bot`): exit 0 on success, 2 on bad usage, 1 on failure with one line on stderr."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import Sequence

from bot.config import ConfigError, Settings
from bot.wiring import StartupError

log = logging.getLogger("sake_sensei")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sake-sensei", description="Sake Sensei, an AI sake sommelier.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the web server (webhooks, web chat, health)")
    serve.add_argument("--port", type=int, help="port to listen on (default: $PORT or 8080)")

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

    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="SUBCOMMAND")
    db_sub.add_parser("upgrade", help="apply migrations")

    catalog = sub.add_parser("catalog", help="catalog commands")
    cat_sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="SUBCOMMAND")
    load = cat_sub.add_parser("load", help="load or refresh the bundled sake catalog (idempotent)")
    load.add_argument("--force", action="store_true", help="rewrite the catalog rows even if unchanged")
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
        print(reply.text)
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
    from bot.wiring import open_database
    from core.catalog.loader import load_catalog

    db = await open_database(settings)
    try:
        result = await load_catalog(db, force=force)
    finally:
        await db.dispose()
    state = "loaded" if result["changed"] else "already up to date"
    print(
        f"catalog {state} (version {result['version']}): {result['brands']} brands, {result['flavor_charts']} flavor charts, "
        f"{result['tags']} tags, {result['breweries']} breweries, {result['products']} products, {result['ranked']} ranked brands"
    )
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
        if args.command == "ask":
            if not args.text and not args.image:
                print("sake-sensei: ask needs TEXT or --image", file=sys.stderr)
                return 2
            return asyncio.run(_ask(settings, args))
        if args.command == "slack-socket":
            return asyncio.run(_slack_socket(settings))
        if args.command == "chat":
            return asyncio.run(_chat(settings, args))
        if args.command == "db":
            return asyncio.run(_db_upgrade(settings))
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
