"""A tasting note that waits for the user's next message.

"Log with notes" opens the note form. Where a surface has no text field (LINE: quick replies only),
the user types the note as their next plain message, so the core keeps the form open for it: the
form's opening is stored in the conversation memory as its own turn (`opening_turn`), and while it
is the conversation's last turn and younger than `WINDOW`, the next plain text is the note
(`pending`). Any other turn closes it: a button, a command, a photo, "cancel" (which is answered
and stored as a turn too), or the note itself. No table holds this: the memory already is the
per-user, per-channel state, and its clock is the one injected into the memory.

A flight's "Note on <sake>" (actions.FlightNote) waits the same way: its note goes on the member's
flight rating rather than into a new tasting.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, UserPromptPart

from core import actions
from core.agent.memory import BUTTON_PROMPT, split_turns

WINDOW = timedelta(minutes=10)

# What ends a pending note without saving one (folded: lower case, NFKC, no end punctuation).
CANCEL_WORDS = frozenset({
    "cancel", "skip", "stop", "no", "no note", "never mind", "nevermind", "no thanks",
    "キャンセル", "やめる", "やめて", "やめます", "取り消し", "とりけし", "なし", "いらない", "スキップ",
})


NoteAction = actions.Note | actions.FlightNote


def opening_turn(action: NoteAction, said: str, now: datetime) -> list[ModelMessage]:
    """The stored turn of a note form just opened: the button as the prompt, the form's words as the answer."""
    prompt = UserPromptPart(f"{BUTTON_PROMPT}{actions.pack(action)}", timestamp=now)
    return [ModelRequest(parts=[prompt]), ModelResponse(parts=[TextPart(said)], timestamp=now)]


def pending(history: list[ModelMessage], now: datetime) -> NoteAction | None:
    """The note the next plain message is (a tasting's, or a flight rating's): the last turn opened its
    form (no tool ran, so it was not a submitted form) less than WINDOW ago; None otherwise."""
    turns = split_turns(history)
    if not turns:
        return None
    turn = turns[-1]
    prompt = next((p for m in turn if isinstance(m, ModelRequest) for p in m.parts if isinstance(p, UserPromptPart)), None)
    if prompt is None or not isinstance(prompt.content, str) or not prompt.content.startswith(BUTTON_PROMPT):
        return None
    if any(isinstance(p, ToolCallPart) for m in turn if isinstance(m, ModelResponse) for p in m.parts):
        return None
    action = actions.read(prompt.content[len(BUTTON_PROMPT):])
    if not isinstance(action, (actions.Note, actions.FlightNote)):
        return None
    opened = prompt.timestamp if prompt.timestamp.tzinfo else prompt.timestamp.replace(tzinfo=timezone.utc)
    return action if timedelta(0) <= now - opened <= WINDOW else None


def is_cancel(text: str) -> bool:
    folded = unicodedata.normalize("NFKC", text).strip().lower().rstrip(".!。!")
    return folded in CANCEL_WORDS


def closing_turn(said: str, answer: str, now: datetime) -> list[ModelMessage]:
    """The stored turn of a cancelled note: what the user said and the answer (it closes the pending note)."""
    return [ModelRequest(parts=[UserPromptPart(said, timestamp=now)]), ModelResponse(parts=[TextPart(answer)], timestamp=now)]
