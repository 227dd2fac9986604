"""The gateway bot: discord.py Client (or AutoShardedClient) answering DMs, mentions and /sake.

- Messages: DMs, messages that mention the bot, and (with the Message Content intent) replies
  to the bot's own messages, which continue the conversation. Image attachments are sent to
  the core as label photos. The typing indicator shows while the core works.
- Slash commands: `/sake rec|log|history|profile|wishlist|survey` through `app_commands`,
  with Japanese names and descriptions (a Translator reading the `ja=` of each locale_str).
  Answers with the user's own data are ephemeral in servers.
- Components: buttons and selects are `DynamicItem`s rebuilt from their custom_id, so the
  buttons of a message sent before a restart still work; "Log it" opens the tasting-note modal.

Every interaction is acknowledged at once (a deferred "thinking" answer) and finished with a
follow-up, so Discord's 3-second limit holds however long the core takes. 429s are left to
discord.py's own rate limiter.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from adapters.discord.components import ActionButton, ActionSelect, TastingNoteModal
from adapters.discord.events import (
    APPLICATION_COMMAND,
    MODAL_SUBMIT,
    Origin,
    Outcome,
    for_action,
    from_message,
    interpret,
    sake_choices,
)
from adapters.discord.render import Rendered
from adapters.discord.turns import DiscordTurns, apology
from core.actions import UserAction
from core.catalog import CatalogSearch
from core.controls import STAR_VALUES
from core.texts import t

log = logging.getLogger(__name__)


def intents(*, message_content: bool) -> discord.Intents:
    """Servers, their messages and DMs; Message Content only when asked for (it is privileged)."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    chosen.message_content = message_content
    return chosen


def origin_of_interaction(interaction: discord.Interaction[Any]) -> Origin:
    return Origin(
        interaction_id=str(interaction.id),
        guild_id=str(interaction.guild_id) if interaction.guild_id else None,
        channel_id=str(interaction.channel_id) if interaction.channel_id else None,
        user_id=str(interaction.user.id),
        display_name=interaction.user.display_name,
        locale=interaction.locale.value if interaction.locale else None,
        # interaction.permissions: the member's resolved permissions in the channel (from the JSON)
        platform_admin=bool(interaction.guild_id) and (interaction.permissions.administrator or interaction.permissions.manage_guild),
    )


class JapaneseTranslator(app_commands.Translator):
    """Command names and descriptions in Japanese, from the `ja=` extra of each locale_str."""

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext[Any, Any]
    ) -> str | None:
        return string.extras.get(locale.value)


def _word(key: str) -> app_commands.locale_str:
    """A description from the catalog, with its Japanese for the Translator."""
    return _(t(key, "en"), ja=t(key, "ja"))


def _name(name: str) -> app_commands.locale_str:
    """A command or option name: the English one is what interactions carry; the Japanese from the catalog."""
    return _(name, ja=t(f"slash.{name}.name", "ja"))


def build_tree(client: SenseiBot) -> app_commands.CommandTree[Any]:
    """`/sake` and its subcommands; the callbacks only hand the interaction's JSON to the client."""
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
    sake = app_commands.Group(name=_name("sake"), description=_word("slash.sake"))

    @sake.command(name=_name("rec"), description=_word("slash.rec"))
    @app_commands.rename(request=_name("request"))
    @app_commands.describe(request=_word("slash.request"))
    async def rec(interaction: discord.Interaction[Any], request: str | None = None) -> None:
        await client.on_command(interaction)

    @sake.command(name=_name("log"), description=_word("slash.log"))
    @app_commands.rename(sake_name=_("sake", ja=t("slash.brand.name", "ja")), rating=_name("rating"), note=_name("note"))
    @app_commands.describe(sake_name=_word("slash.brand"), rating=_word("slash.rating"), note=_word("slash.note"))
    @app_commands.choices(rating=[app_commands.Choice(name=_(t("rating.stars", "en", n=n), ja=t("rating.stars", "ja", n=n)), value=str(n))
                                  for n in STAR_VALUES])
    async def log_(interaction: discord.Interaction[Any], sake_name: str, rating: str | None = None, note: str | None = None) -> None:
        await client.on_command(interaction)

    @log_.autocomplete("sake_name")
    async def log_sake(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        lang = origin_of_interaction(interaction).lang
        return [app_commands.Choice(name=name, value=value) for name, value in sake_choices(client.search, current, lang)]

    @sake.command(name=_name("history"), description=_word("slash.history"))
    async def history(interaction: discord.Interaction[Any]) -> None:
        await client.on_command(interaction)

    @sake.command(name=_name("profile"), description=_word("slash.profile"))
    async def profile(interaction: discord.Interaction[Any]) -> None:
        await client.on_command(interaction)

    @sake.command(name=_name("wishlist"), description=_word("slash.wishlist"))
    async def wishlist(interaction: discord.Interaction[Any]) -> None:
        await client.on_command(interaction)

    @sake.command(name=_name("survey"), description=_word("slash.survey"))
    async def survey(interaction: discord.Interaction[Any]) -> None:
        await client.on_command(interaction)

    @sake.command(name=_name("flight"), description=_word("slash.flight"))
    @app_commands.rename(size=_name("size"), theme=_name("theme"))
    @app_commands.describe(size=_word("slash.flight_size"), theme=_word("slash.flight_theme"))
    @app_commands.choices(size=[app_commands.Choice(name=str(n), value=n) for n in (3, 4, 5)])
    async def flight(interaction: discord.Interaction[Any], size: int | None = None, theme: str | None = None) -> None:
        await client.on_command(interaction)

    tree.add_command(sake)

    @tree.error
    async def on_tree_error(interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        log.error("discord command failed", exc_info=error)
        await client.apologise(interaction)

    return tree


class SenseiBot:
    """What the plain and the sharded client share; mixed in before the discord.py client class."""

    turns: DiscordTurns
    search: CatalogSearch
    tree: app_commands.CommandTree[Any]
    sync_commands: bool

    def _init_sensei(self, turns: DiscordTurns, search: CatalogSearch, *, sync_commands: bool) -> None:
        self._conversations: dict[str, tuple[asyncio.Lock, int]] = {}  # lock and how many messages hold or wait for it
        self.turns = turns
        self.search = search
        self.sync_commands = sync_commands
        self.tree = build_tree(self)

    # -- discord.py hooks -------------------------------------------------------------------

    async def setup_hook(self) -> None:
        client: discord.Client = self  # type: ignore[assignment]
        client.add_dynamic_items(ActionButton, ActionSelect)
        await self.tree.set_translator(JapaneseTranslator())
        if not client.intents.message_content:
            log.info(
                "discord: the Message Content intent is off, so the bot answers DMs, mentions and slash commands "
                "(set DISCORD_MESSAGE_CONTENT=1 once the intent is enabled in the Developer Portal to follow replies too)"
            )
        if self.sync_commands:
            try:
                synced = await self.tree.sync()
                log.info("discord: %d application commands registered", len(synced))
            except discord.HTTPException as e:  # the bot still answers DMs, mentions and already registered commands
                log.error("discord: could not register the slash commands (%s %s): %s", e.status, e.code, e.text)

    async def on_ready(self) -> None:
        client: discord.Client = self  # type: ignore[assignment]
        log.info("discord: connected as %s (%s), %d servers, shards %s", client.user, getattr(client.user, "id", "?"),
                 len(client.guilds), client.shard_count or 1)

    async def on_message(self, message: discord.Message) -> None:
        client: discord.Client = self  # type: ignore[assignment]
        me = client.user
        if me is None or message.author.bot or message.author.id == me.id or not self._addressed(message, me.id):
            return
        msg = from_message(message, bot_id=me.id)
        key = str(msg.key)
        lock, users = self._conversations.get(key, (asyncio.Lock(), 0))
        self._conversations[key] = (lock, users + 1)
        try:
            async with lock:  # one conversation's messages are answered in the order they were sent

                async def send(rendered: Rendered, private: bool) -> None:
                    if message.guild is None:
                        await message.channel.send(**rendered.send_kwargs())
                    else:
                        await message.reply(mention_author=False, **rendered.send_kwargs())

                async with message.channel.typing():  # kept up (every 5 s) until the answer is out
                    await self.turns.run(msg, send)
        finally:
            lock, users = self._conversations[key]
            if users <= 1:
                del self._conversations[key]
            else:
                self._conversations[key] = (lock, users - 1)

    def _addressed(self, message: discord.Message, me: int) -> bool:
        """DMs, mentions of the bot, and replies to the bot's messages (these need Message Content)."""
        if message.guild is None:
            return True
        if any(user.id == me for user in message.mentions):
            return True
        client: discord.Client = self  # type: ignore[assignment]
        ref = message.reference.resolved if message.reference else None
        return client.intents.message_content and isinstance(ref, discord.Message) and ref.author.id == me

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Modal submissions are read here from their JSON, so a modal opened before a restart still saves."""
        if interaction.type is discord.InteractionType.modal_submit:
            outcome = interpret(MODAL_SUBMIT, dict(interaction.data or {}), origin_of_interaction(interaction), self.search)
            if not outcome.ignore:
                await self.answer(interaction, outcome)

    # -- what our commands and components call -----------------------------------------------

    async def on_command(self, interaction: discord.Interaction[Any]) -> None:
        await self.answer(
            interaction, interpret(APPLICATION_COMMAND, dict(interaction.data or {}), origin_of_interaction(interaction), self.search)
        )

    async def on_sensei_action(self, interaction: discord.Interaction[Any], action: UserAction) -> None:
        await self.answer(interaction, for_action(action, origin_of_interaction(interaction)))

    async def answer(self, interaction: discord.Interaction[Any], outcome: Outcome) -> None:
        origin = origin_of_interaction(interaction)
        if outcome.note_for is not None:
            brand = self.search.catalog.get(outcome.note_for)
            await interaction.response.send_modal(TastingNoteModal(outcome.note_for, origin.lang, brand.name if brand else None))
            return
        if outcome.message is None:
            await interaction.response.defer()
            return
        await interaction.response.defer(ephemeral=outcome.ephemeral, thinking=True)

        async def send(rendered: Rendered, private: bool) -> None:
            await interaction.followup.send(ephemeral=outcome.ephemeral or private, wait=True, **rendered.send_kwargs())

        if await self.turns.run(outcome.message, send) is None:  # this interaction was already answered (a duplicate delivery)
            await interaction.delete_original_response()

    async def apologise(self, interaction: discord.Interaction[Any]) -> None:
        sorry = apology(origin_of_interaction(interaction).lang).content
        try:
            if interaction.response.is_done():
                await interaction.followup.send(sorry, ephemeral=True)
            else:
                await interaction.response.send_message(sorry, ephemeral=True)
        except discord.HTTPException:
            log.exception("discord: could not apologise")


class SenseiClient(SenseiBot, discord.Client):
    def __init__(
        self, turns: DiscordTurns, search: CatalogSearch, *, message_content: bool = False, sync_commands: bool = True, **options: Any
    ) -> None:
        discord.Client.__init__(
            self, intents=intents(message_content=message_content), allowed_mentions=discord.AllowedMentions.none(), **options
        )
        self._init_sensei(turns, search, sync_commands=sync_commands)


class ShardedSenseiClient(SenseiBot, discord.AutoShardedClient):
    def __init__(
        self,
        turns: DiscordTurns,
        search: CatalogSearch,
        *,
        shard_count: int | None = None,
        message_content: bool = False,
        sync_commands: bool = True,
        **options: Any,
    ) -> None:
        discord.AutoShardedClient.__init__(
            self,
            intents=intents(message_content=message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=shard_count,
            **options,
        )
        self._init_sensei(turns, search, sync_commands=sync_commands)


def make_client(
    turns: DiscordTurns,
    search: CatalogSearch,
    *,
    shards: int | str | None = None,
    message_content: bool = False,
    sync_commands: bool = True,
    **options: Any,
) -> discord.Client:
    """A plain Client, or an AutoShardedClient when shards is a count or "auto" (Discord's recommendation)."""
    if shards is None:
        return SenseiClient(turns, search, message_content=message_content, sync_commands=sync_commands, **options)
    count = None if shards == "auto" else int(shards)
    return ShardedSenseiClient(turns, search, shard_count=count, message_content=message_content, sync_commands=sync_commands, **options)
