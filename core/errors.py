"""Error codes users see (with a plain sentence) and operators grep for in logs."""

from __future__ import annotations

from enum import Enum

from core.texts import TEXTS, t


class Code(str, Enum):
    PREFERENCES_NOT_FOUND = "SS-001"
    UNKNOWN_SAKE = "SS-002"
    AGENT_FAILED = "SS-003"
    RECOMMENDATION_FAILED = "SS-004"
    IMAGE_UNREADABLE = "SS-005"
    TASTING_NOT_SAVED = "SS-006"
    BAD_SIGNATURE = "SS-007"
    UNKNOWN_TOOL = "SS-008"
    RATE_LIMITED = "SS-009"
    NOT_ALLOWED = "SS-010"
    MENU_NOT_CHANGED = "SS-011"


def message_key(code: Code) -> str:
    """The catalog key of the plain sentence shown with `code` (core/error_texts.py): "error." and its name."""
    return f"error.{code.name.lower()}"


assert {message_key(c) for c in Code} <= TEXTS.keys(), "every error code needs its sentence in core/error_texts.py"


class SenseiError(Exception):
    """A failure with a user-facing code; `detail` adds a specific, plain reason.

    `detail_ja` is the same reason in Japanese, for services that know the reason but not the
    language of the reply (the reply's language is chosen when the error is shown).
    """

    def __init__(self, code: Code, detail: str | None = None, *, detail_ja: str | None = None) -> None:
        self.code = code
        self.detail = detail
        self.detail_ja = detail_ja
        super().__init__(f"{code.value}: {detail or t(message_key(code), 'en')}")

    def message(self, lang: str = "en") -> str:
        base = t(message_key(self.code), lang)
        detail = self.detail_ja if lang == "ja" and self.detail_ja else self.detail
        return f"{base} {detail}" if detail else base

    def as_dict(self, lang: str = "en") -> dict[str, str]:
        return {"code": self.code.value, "message": self.message(lang)}
