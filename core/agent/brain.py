"""AgentBrain: one chat turn through the pydantic-ai agent, with memory and fallbacks.

- Text turns run the agent with the configured model (the offline model by default, or a
  language model from `SAKE_SENSEI_MODEL`), on the conversation's stored history.
- Buttons (`Message.action`) call the same tools deterministically: no model reads them.
- A language model that fails (errors after retries, timeouts, endless tool loops) is replaced
  for the turn by the offline model and the reply notes SS-003; a call to a tool that does not
  exist is SS-008. Either way the turn ends with an answer, and a tool that already changed
  stored data is never run twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from dataclasses import dataclass, replace
from typing import Any

from pydantic_ai import Agent, capture_run_messages
from pydantic_ai.messages import BinaryContent, ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, UserPromptPart
from pydantic_ai.models import Model
from pydantic_ai.usage import UsageLimits

from core import actions, controls
from core.actions import UserAction
from core.agent.agent import build_agent, tools_for
from core.agent.deps import Deps, Services, TurnOutput
from core.agent.memory import ConversationMemory, latest_turns
from core.agent.models.llm import supports_images
from core.agent import pending_note
from core.agent.models.offline import OfflineModel, forced_call
from core.agent.understanding import Understanding
from core.errors import Code, SenseiError
from core.messages import Button, Reply
from core.sensei import Turn
from core.texts import t

log = logging.getLogger(__name__)

MAX_IMAGES = 4
MAX_CARDS = 10  # a model that calls many tools still shows a readable reply
MAX_IMAGE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ActionCall:
    tool: str
    args: dict[str, Any]


def parse_action(action: UserAction | None, values: dict[str, Any] | None = None) -> ActionCall | None:
    """The tool call behind a typed action; None when nothing answers it here (none, an unknown
    string the adapter could not read, or a command the brain answers itself)."""
    match action:
        case actions.SurveyStart():
            return ActionCall("survey", {})
        case actions.SurveyAnswer(question, answer):
            return ActionCall("survey", {"question_id": question, "answer_id": answer})
        case actions.Log(brand):
            return ActionCall("log_tasting", {"brand_id": brand})
        case actions.Rate(brand, stars):
            return ActionCall("log_tasting", {"brand_id": brand, "rating": stars})
        case actions.Similar(brand):
            return ActionCall("recommend", {"mode": "similar", "brand_id": brand})
        case actions.Wish(brand):
            return ActionCall("wishlist_add", {"brand_id": brand})
        case actions.Unwish(brand):
            return ActionCall("wishlist_remove", {"brand_id": brand})
        case actions.Unlog(brand):  # the confirm button of a delete that named no sake
            return ActionCall("delete_tasting", {"brand_id": brand})
        case actions.Pick(brand):
            return ActionCall("sake_details", {"brand_id": brand})
        case actions.Note(brand):
            note = action.with_values(values) if values else action
            args: dict[str, Any] = {"brand_id": brand}
            for key in ("rating", "notes", "temperature", "food"):
                value = getattr(note, key)
                if value is not None:
                    args[key] = str(value) if key != "rating" else value
            return ActionCall("log_tasting", args)
        case actions.Explain(entry):
            return ActionCall("explain", {"entry_ids": [entry]})
        case actions.MenuRemove(item, True):
            return ActionCall("menu_remove", {"item": f"#{item}"})
        case actions.Stock(item, in_stock):
            return ActionCall("menu_update", {"item": f"#{item}", "stock": in_stock})
        case actions.Command(name):
            return _COMMAND_TOOLS.get(name)
    return None


# Commands that are one tool call; "help" is answered by the offline model's help text.
_COMMAND_TOOLS: dict[str, ActionCall] = {
    "history": ActionCall("tasting_history", {}),
    "profile": ActionCall("taste_profile", {}),
    "wishlist": ActionCall("wishlist_show", {}),
    "survey": ActionCall("survey", {}),
    "stats": ActionCall("tasting_stats", {}),
    "menu": ActionCall("menu_list", {}),
}


def _unknown_tool_called(messages: list[ModelMessage], known: set[str]) -> str | None:
    for msg in messages:
        if isinstance(msg, ModelResponse):
            for p in msg.parts:
                if isinstance(p, ToolCallPart) and p.tool_name not in known:
                    return p.tool_name
    return None


class AgentBrain:
    def __init__(
        self,
        services: Services,
        memory: ConversationMemory,
        *,
        model: Model | None = None,  # a language model; None = the offline model answers every turn
        understanding: Understanding | None = None,
        turn_timeout: float = 60.0,
        usage_limits: UsageLimits | None = None,
    ) -> None:
        self.services = services
        self.memory = memory
        self.agent: Agent[Deps, str] = build_agent(services)
        self.offline = OfflineModel(understanding or Understanding(services.search))
        self.llm = model
        self.turn_timeout = turn_timeout
        self.usage_limits = usage_limits or UsageLimits(request_limit=8, tool_calls_limit=12)
        self.tool_names = {f.__name__ for f in tools_for(services)}  # what a model may call

    def close(self) -> None:
        """Stop what the services started (the label reader's OCR worker)."""
        closer = getattr(self.services.labels, "close", None)
        if closer is not None:
            closer()

    @property
    def model_name(self) -> str:
        return "offline" if self.llm is None else self.llm.model_name

    async def reply(self, turn: Turn) -> Reply:
        msg = turn.message
        images = await self._images(turn)
        deps = Deps(turn.principal, turn.lang, self.services, images, files=await self._files(turn), platform_admin=msg.platform_admin,
                    taken_over=msg.taken_over)
        if self.services.restaurants is not None:
            deps.restaurant = await self.services.restaurants.restaurants.get(turn.principal) is not None
        if isinstance(msg.action, actions.MenuRemove) and not msg.action.confirmed and self.services.restaurants is not None:
            return await self._confirm_removal(turn, msg.action.item_id)
        channel = msg.key.channel
        history = await self.memory.load(turn.principal, channel)
        now = self.memory.clock()
        noted = pending_note.pending(history, now) if not (msg.action or msg.images or msg.files) and msg.text.strip() else None
        if noted is not None and pending_note.is_cancel(msg.text):
            said = t("form.note.cancelled", turn.lang)
            await self.memory.save(turn.principal, channel, [*history, *pending_note.closing_turn(msg.text, said, now)])
            return Reply(text=said, lang=turn.lang, tools=["note_cancel"])
        if self.services.flights is not None and (flight := await self._flight(turn, noted, history, now)) is not None:
            return flight  # a flight's button, `/sake flight`, its words or a note on a flight rating: core.flights decides
        if isinstance(msg.action, actions.Note) and not msg.action_values:
            form = self._note_form(msg.action.brand_id, turn.lang)  # stored: the next plain text may be its note
            await self.memory.save(turn.principal, channel, [*history, *pending_note.opening_turn(msg.action, form.text, now)])
            return form
        if isinstance(noted, actions.Note):  # the note typed after "Log with notes" (LINE has no text field in its form)
            call = parse_action(noted.with_values({"notes": msg.text}))
            assert call is not None
            messages = await self._run(msg.text, deps, history, forced_call(call.tool, call.args), fallback=False)
        elif msg.action == actions.Command("help"):
            prompt: Any = "help" if turn.lang == "en" else "ヘルプ"
            messages = await self._run(prompt, deps, history, self.offline.model, fallback=False)
        elif msg.action:
            call = parse_action(msg.action, msg.action_values)
            if call is None or call.tool not in self.tool_names:
                if isinstance(msg.action, actions.Unknown):
                    log.info("unknown action string %r", msg.action.raw[:100])
                raise SenseiError(Code.UNKNOWN_SAKE, t("turn.invalid_button", turn.lang))
            label = msg.action.raw if isinstance(msg.action, actions.Unknown) else actions.pack(msg.action)
            prompt = f"[button] {label}"
            messages = await self._run(prompt, deps, history, forced_call(call.tool, call.args), fallback=False)
        else:
            prompt = self._prompt(msg.text, images)
            messages = await self._run(prompt, deps, history, self.llm or self.offline.model, fallback=self.llm is not None)
        await self.memory.save(turn.principal, channel, messages)
        out = deps.out
        text = final_text(messages) or "\n\n".join(out.summaries)
        if out.error and out.error["code"] in (Code.AGENT_FAILED.value, Code.UNKNOWN_TOOL.value):
            text = f"{text}\n\n({out.error['message']} {out.error['code']})"
        return Reply(
            text=text, lang=turn.lang, cards=out.cards[:MAX_CARDS], images=out.images[:MAX_IMAGES], actions=out.actions,
            tools=list(dict.fromkeys(out.tools)), error=out.error, files=out.files,  # each tool once, in the order first called
        )

    async def _flight(self, turn: Turn, noted: pending_note.NoteAction | None, history: list[ModelMessage], now: datetime) -> Reply | None:
        """core.flights' reply, if the turn is about a flight. "Note on <sake>" waits in the memory like a
        tasting's note (every surface can type one), and the next plain message is that note."""
        msg, flights = turn.message, self.services.flights
        assert flights is not None
        channel = msg.key.channel
        if isinstance(noted, actions.FlightNote):
            out = await flights.reply(replace(msg, action=noted, action_values={"notes": msg.text}), turn.principal, turn.lang)
            assert out is not None
            await self.memory.save(turn.principal, channel, [*history, *pending_note.closing_turn(msg.text, out.text, now)])
            return out
        out = await flights.reply(msg, turn.principal, turn.lang)
        if out is not None and isinstance(msg.action, actions.FlightNote) and out.tools == ["flight_note_form"]:
            await self.memory.save(turn.principal, channel, [*history, *pending_note.opening_turn(msg.action, out.text, now)])
        return out

    def _note_form(self, brand_id: int, lang: str) -> Reply:
        """"Log with notes": the tasting-note form, described for every surface (a modal where there is one,
        an inline form or a guided prompt where not); nothing is stored until it comes back filled in."""
        brand = self.services.catalog.get(brand_id)
        if brand is None:
            raise SenseiError(Code.UNKNOWN_SAKE, f"#{brand_id}")
        form = controls.note_form(brand_id, brand.name, lang)
        form.next_message = t("form.note.type_next", lang)
        return Reply(text=t("form.note.prompt", lang, name=brand.name), lang=lang, form=form, tools=["note_form"])

    async def _confirm_removal(self, turn: Turn, item_id: int) -> Reply:
        """A menu card's "Remove from menu": one tap must not delete an item with its prices, so the reply
        asks first (staff only; a guest gets SS-010 as the removal itself would answer)."""
        menu = self.services.restaurants.menu  # type: ignore[union-attr]
        item = await menu.removable(turn.principal, f"#{item_id}", platform_admin=turn.message.platform_admin)
        confirm = Button(actions.MenuRemove(item.id, confirmed=True), t("button.menu_remove_confirm", turn.lang), "danger")
        return Reply(text=t("menu.remove_confirm", turn.lang, id=item.id, name=item.title()), lang=turn.lang,
                     actions=[confirm], tools=["menu_remove_confirm"])

    async def _images(self, turn: Turn) -> list[bytes]:
        out = []
        for image in turn.message.images[:MAX_IMAGES]:
            try:
                data = await image.read()
            except Exception:
                log.warning("image download failed", exc_info=True)
                continue
            if data and len(data) <= MAX_IMAGE_BYTES:
                out.append(data)
        return out

    async def _files(self, turn: Turn) -> list[tuple[str, bytes]]:
        """Attachments other than photos (a menu CSV); a file too big is passed on cut, so the import can say so."""
        out = []
        for f in turn.message.files[:MAX_IMAGES]:
            try:
                data = await f.read()
            except Exception:
                log.warning("file download failed", exc_info=True)
                continue
            if data:
                out.append((f.filename or "file", data[: MAX_IMAGE_BYTES + 1]))
        return out

    def _prompt(self, text: str, images: list[bytes]) -> Any:
        """Photos go to a language model as images only when it reads images; the tools get them from deps."""
        if images and self.llm is not None and supports_images(self.llm):
            return [text or "What sake is this label?", *(BinaryContent(data=b, media_type=_media_type(b)) for b in images)]
        return text

    def _read_by(self, model: Model, history: list[ModelMessage]) -> list[ModelMessage]:
        """The part of the stored history a model reads: all of it for a language model (the memory's token
        budget bounds it); the last OFFLINE_TURNS turns for the offline model and forced calls, which only
        look at the latest turns, so a long stored conversation (kept for the web chat's reload) does not
        slow every offline turn."""
        return history if model is self.llm else latest_turns(history, OFFLINE_TURNS)

    async def _run(self, prompt: Any, deps: Deps, history: list[ModelMessage], model: Model, *, fallback: bool) -> list[ModelMessage]:
        read = self._read_by(model, history)
        older = history[: len(history) - len(read)]
        with capture_run_messages() as captured:
            try:
                result = await asyncio.wait_for(
                    self.agent.run(prompt, deps=deps, message_history=read, model=model, usage_limits=self.usage_limits),
                    self.turn_timeout,
                )
            except SenseiError:
                raise
            except Exception as e:
                if not fallback:
                    raise
                unknown = _unknown_tool_called(captured, self.tool_names)
                code = Code.UNKNOWN_TOOL if unknown else Code.AGENT_FAILED
                log.warning("language model failed: %s; answering offline", type(e).__name__,
                            extra={"code": code.value, "model": self.model_name})
                return await self._fall_back(prompt, deps, history, code)
        messages = [*older, *result.all_messages()]
        if fallback:
            said = final_text(messages)
            if len(said) > MAX_REPLY_TEXT or not said and not deps.out.summaries:
                # Nothing a person can read (empty, only control bytes) or a runaway wall of text.
                log.warning("language model answered %d unusable characters; answering offline", len(said),
                            extra={"code": Code.AGENT_FAILED.value, "model": self.model_name})
                return await self._fall_back(prompt, deps, history, Code.AGENT_FAILED)
        unknown = _unknown_tool_called(result.new_messages(), self.tool_names)
        if unknown:
            log.warning("model called unknown tool %r", unknown[:64], extra={"code": Code.UNKNOWN_TOOL.value})
            deps.out.error = SenseiError(Code.UNKNOWN_TOOL).as_dict(deps.lang)
        return messages

    async def _fall_back(self, prompt: Any, deps: Deps, history: list[ModelMessage], code: Code) -> list[ModelMessage]:
        """Answer the turn with the offline model; what a tool already wrote is reported, never redone."""
        text_prompt = prompt if isinstance(prompt, str) else " ".join(p for p in prompt if isinstance(p, str))
        error = SenseiError(code).as_dict(deps.lang)
        if deps.out.wrote or deps.out.summaries:
            deps.out.error = error
            text = "\n\n".join(deps.out.summaries)
            return [*history, ModelRequest(parts=[UserPromptPart(text_prompt)]), ModelResponse(parts=[TextPart(text)])]
        deps.out = TurnOutput()
        read = self._read_by(self.offline.model, history)
        result = await asyncio.wait_for(
            self.agent.run(text_prompt, deps=deps, message_history=read, model=self.offline.model, usage_limits=self.usage_limits),
            self.turn_timeout,
        )
        deps.out.error = error
        return [*history[: len(history) - len(read)], *result.all_messages()]


MAX_REPLY_TEXT = 8000  # characters; a model saying more than this has run away
OFFLINE_TURNS = 4  # turns of history the offline model reads: its follow-ups look back one or two


def _printable(text: str) -> str:
    """Without control characters (a model's stray escape codes and NULs), keeping newlines and tabs."""
    return "".join(c for c in text if c in "\n\t" or ord(c) >= 32 and not 0x7F <= ord(c) < 0xA0)


def final_text(messages: list[ModelMessage]) -> str:
    """The final text of the turn: the last model response's text parts."""
    for msg in reversed(messages):
        if isinstance(msg, ModelResponse):
            texts = [p.content for p in msg.parts if isinstance(p, TextPart)]
            if texts:
                return _printable("\n".join(texts)).strip()
            return ""
    return ""


def _media_type(data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


__all__ = ["AgentBrain", "parse_action"]
