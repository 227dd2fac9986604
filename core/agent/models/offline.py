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
from core.describe import ATTRIBUTION
from core.i18n import pick

LIST_TOOLS = ("recommend", "pair_food", "search_catalog")

CHAT: dict[str, tuple[str, str]] = {
    "greeting": (
        "Hello! I'm Sake Sensei, your sake sommelier. Ask for a recommendation (\"something dry from Niigata\"), "
        "tell me what you drank (\"獺祭 4/5\"), or send a label photo.",
        "こんにちは!日本酒ソムリエのSake Senseiです。「新潟の辛口」のように聞いたり、「獺祭 星4」と記録したり、ラベルの写真を送ってください。",
    ),
    "thanks": ("You're welcome! Kanpai 🍶", "どういたしまして!乾杯🍶"),
    "bye": ("Bye! Enjoy your sake. 🍶", "またどうぞ!よい日本酒ライフを🍶"),
    "offtopic": (
        "I only know about sake, sorry! I can recommend one, pair it with food, log your tastings or read a label.",
        "ごめんなさい、日本酒のことしかわかりません。おすすめ、料理との相性、飲んだお酒の記録、ラベルの読み取りができます。",
    ),
    "unclear": (
        "Sorry, I didn't understand that. Try \"recommend a fruity sake\", \"tell me about 獺祭\" or \"log kubota 4/5\".",
        "すみません、よくわかりませんでした。「フルーティなお酒をおすすめ」「獺祭について」「久保田 星4」のように送ってください。",
    ),
}
HELP = (
    "I'm Sake Sensei, a sake sommelier. I can:\n"
    "- tell you about a sake (\"tell me about 獺祭\", \"kubota\")\n"
    "- recommend one: by flavor (\"dry and crisp\"), prefecture, grade, like another (\"like dassai but drier\"), or for you\n"
    "- pair sake with food (\"what goes with sushi?\")\n"
    "- log what you drank (\"獺祭 4/5\"), show your history, stats and taste profile\n"
    "- keep a wishlist, run a short taste survey, and read label photos",
    "日本酒ソムリエのSake Senseiです。できること:\n"
    "- 銘柄の紹介(「獺祭について」)\n"
    "- おすすめ: 味(「淡麗辛口」)、県、特定名称、「獺祭より辛口」、あなた好み\n"
    "- 料理との相性(「寿司に合うお酒」)\n"
    "- 飲んだお酒の記録(「獺祭 星4」)、履歴・統計・好みの傾向\n"
    "- 飲みたいリスト、好みアンケート、ラベル写真の読み取り",
)


def chat_text(kind: str, lang: str) -> str:
    if kind == "help":
        return f"{pick(lang, *HELP)}\n{ATTRIBUTION[lang]}"
    en, ja = CHAT.get(kind, CHAT["unclear"])
    return pick(lang, en, ja)


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
            out.append(pick(lang, "Sorry, I couldn't do that.", "すみません、それはできませんでした。"))
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
    what = {
        "recommend": ("recommendations", "おすすめ"),
        "pair_food": ("food pairing", "料理との相性"),
        "taste_profile": ("the taste profile", "好みの傾向"),
        "identify_label": ("reading label photos", "ラベルの読み取り"),
        "picks_from_stock": ("restaurant menus", "レストランのメニュー"),
        "menu_add": ("restaurant menus", "レストランのメニュー"),
        "menu_list": ("restaurant menus", "レストランのメニュー"),
    }.get(tool, (tool, tool))
    return pick(lang, f"Sorry, {what[0]} is not available on this server yet.", f"申し訳ありません、{what[1]}はこのサーバーではまだ使えません。")
