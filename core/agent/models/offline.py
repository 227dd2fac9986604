"""The built-in offline model: a deterministic pydantic-ai FunctionModel driving the same tools as an LLM.

First request of a turn: read the user's message (core.agent.understanding) in the context of
the conversation so far (the sakes shown last, the last list asked for), and answer with one
tool call, or a short chat answer. Next request: the tool results are in; answer with their
summaries, which the tools wrote in the user's language.
"""

from __future__ import annotations

from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    RetryPromptPart,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from core.agent.instructions import read_restaurant_facts, read_turn_facts
from core.agent.restaurant_understanding import read_restaurant
from core.agent.understanding import Context, Intent, Understanding
from core.agent.why import why_text
from core.texts import TEXTS, t

LIST_TOOLS = ("recommend", "pair_food", "search_catalog")
CHAT_KINDS = ("greeting", "thanks", "bye", "offtopic", "unclear")  # each answered by its chat.<kind> words

# the tools whose absence the offline model names by the feature they belong to (chat.feature.*)
FEATURE_OF_TOOL = {"picks_from_stock": "restaurant", "menu_add": "restaurant", "menu_list": "restaurant"}


def chat_text(kind: str, lang: str) -> str:
    """The short answer for a kind of chat; a kind without words of its own is answered as unclear."""
    if kind == "help":
        return f"{t('chat.help', lang)}\n{t('chat.attribution', lang)}"
    return t(f"chat.{kind if kind in CHAT_KINDS else 'unclear'}", lang)


def user_text(request: ModelRequest) -> str:
    parts = []
    for p in request.parts:
        if isinstance(p, UserPromptPart):
            if isinstance(p.content, str):
                parts.append(p.content)
            else:
                parts.extend(c for c in p.content if isinstance(c, str))
    return " ".join(parts)


def conversation_context(messages: list[ModelMessage]) -> Context:
    """The sakes shown last and the last list asked for, read from the history (tool calls and returns)."""
    shown: tuple[int, ...] = ()
    last_tool: str | None = None
    last_args: dict[str, Any] = {}
    calls: dict[str, ToolCallPart] = {}
    for msg in messages:
        if isinstance(msg, ModelResponse):
            for p in msg.parts:
                if isinstance(p, ToolCallPart):
                    calls[p.tool_call_id] = p
    for msg in reversed(messages):
        if not isinstance(msg, ModelRequest):
            continue
        for p in msg.parts:
            if not isinstance(p, ToolReturnPart) or not isinstance(p.content, dict):
                continue
            ids = p.content.get("shown") or []
            if not shown and ids:
                shown = tuple(int(i) for i in ids if isinstance(i, int))
            call = calls.get(p.tool_call_id)
            if last_tool is None and call is not None and call.tool_name in LIST_TOOLS and not p.content.get("error"):
                last_tool = call.tool_name
                try:
                    last_args = {k: v for k, v in call.args_as_dict().items() if k != "exclude"} | (
                        {"exclude": call.args_as_dict().get("exclude")} if call.args_as_dict().get("exclude") else {}
                    )
                except Exception:
                    last_args = {}
        if shown and last_tool:
            break
    return Context(shown=shown, last_tool=last_tool, last_args=last_args)


def final_text(request: ModelRequest, lang: str) -> str:
    """The answer once the tools have run: their summaries, in order (a tool's `lead` instead of its summary
    when its cards carry the details)."""
    out = []
    for p in request.parts:
        if isinstance(p, ToolReturnPart):
            content = p.content
            if isinstance(content, dict) and (content.get("lead") or content.get("summary")):
                out.append(str(content.get("lead") or content["summary"]))
            elif isinstance(content, str) and content:
                out.append(content)
        elif isinstance(p, RetryPromptPart):
            out.append(t("chat.tool_failed", lang))
    return "\n\n".join(out) or chat_text("unclear", lang)


class OfflineModel:
    """Builds the FunctionModel; `understanding` is shared (it holds compiled regexes and the catalog search)."""

    def __init__(self, understanding: Understanding) -> None:
        self.understanding = understanding
        self.model = FunctionModel(self.respond, model_name="offline")

    def read(self, messages: list[ModelMessage], info: AgentInfo) -> Intent:
        """What the last user message asks for, in the context of the conversation."""
        lang, photos = read_turn_facts(info.instructions)
        last = messages[-1]
        text = user_text(last) if isinstance(last, ModelRequest) else ""
        ctx = conversation_context(messages[:-1])
        ctx.has_image = photos > 0
        files, restaurant = read_restaurant_facts(info.instructions)
        staff = read_restaurant(self.understanding, text, ctx, lang, files=files, restaurant=restaurant)
        return staff if staff is not None else self.understanding.understand(text, ctx, lang=lang)

    def respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        lang, _ = read_turn_facts(info.instructions)
        last = messages[-1]
        if isinstance(last, ModelRequest) and any(isinstance(p, (ToolReturnPart, RetryPromptPart)) for p in last.parts):
            return ModelResponse(parts=[TextPart(final_text(last, lang))])
        intent = self.read(messages, info)
        if intent.tool == "chat" and intent.chat == "why":
            return ModelResponse(parts=[TextPart(why_text(messages[:-1], lang))])
        if intent.tool == "chat":
            return ModelResponse(parts=[TextPart(chat_text(intent.chat or "unclear", lang))])
        available = {t.name for t in info.function_tools}
        if intent.tool not in available:
            return ModelResponse(parts=[TextPart(not_available(intent.tool, lang))])
        return ModelResponse(parts=[ToolCallPart(intent.tool, intent.args)])


def forced_call(tool: str, args: dict[str, Any]) -> FunctionModel:
    """A one-turn model that calls exactly this tool (buttons: no reading needed), then answers with its summary."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        lang, _ = read_turn_facts(info.instructions)
        last = messages[-1]
        if isinstance(last, ModelRequest) and any(isinstance(p, (ToolReturnPart, RetryPromptPart)) for p in last.parts):
            return ModelResponse(parts=[TextPart(final_text(last, lang))])
        return ModelResponse(parts=[ToolCallPart(tool, args)])

    return FunctionModel(respond, model_name="offline-action")


def not_available(tool: str, lang: str) -> str:
    """Said when the model chose a tool this server does not offer; a tool without a feature word is named as is."""
    key = f"chat.feature.{FEATURE_OF_TOOL.get(tool, tool)}"
    return t("chat.not_available", lang, what=t(key, lang) if key in TEXTS else tool)
