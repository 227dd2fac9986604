"""Error codes users see (with a plain sentence) and operators grep for in logs."""

from __future__ import annotations

from enum import Enum


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


# The plain sentence shown with each code, per language; callers may add detail.
MESSAGES: dict[Code, dict[str, str]] = {
    Code.PREFERENCES_NOT_FOUND: {
        "en": "I don't know your taste yet. Take the short taste survey, or log a few sakes.",
        "ja": "まだ好みがわかりません。短い好みアンケートに答えるか、飲んだお酒を記録してください。",
    },
    Code.UNKNOWN_SAKE: {
        "en": "I couldn't find that sake in the catalog.",
        "ja": "そのお酒はカタログに見つかりませんでした。",
    },
    Code.AGENT_FAILED: {
        "en": "The language model didn't answer, so I answered with my built-in model.",
        "ja": "言語モデルが応答しなかったため、内蔵モデルで答えました。",
    },
    Code.RECOMMENDATION_FAILED: {
        "en": "Sorry, I couldn't make a recommendation just now.",
        "ja": "申し訳ありません、今はおすすめを作れませんでした。",
    },
    Code.IMAGE_UNREADABLE: {
        "en": "I couldn't read that image.",
        "ja": "その画像を読み取れませんでした。",
    },
    Code.TASTING_NOT_SAVED: {
        "en": "Your tasting could not be saved; nothing was changed. Please try again.",
        "ja": "記録を保存できませんでした(何も変更されていません)。もう一度お試しください。",
    },
    Code.BAD_SIGNATURE: {
        "en": "The request signature is invalid.",
        "ja": "リクエストの署名が無効です。",
    },
    Code.UNKNOWN_TOOL: {
        "en": "The model asked for a tool I don't have.",
        "ja": "モデルが存在しないツールを呼び出しました。",
    },
    Code.RATE_LIMITED: {
        "en": "You're sending messages a little fast. Please wait a moment.",
        "ja": "メッセージが多すぎます。少し待ってからお試しください。",
    },
    Code.NOT_ALLOWED: {
        "en": "You're not allowed to do that here.",
        "ja": "ここではその操作は許可されていません。",
    },
    Code.MENU_NOT_CHANGED: {
        "en": "The sake menu was not changed.",
        "ja": "日本酒メニューは変更されていません。",
    },
}


class SenseiError(Exception):
    """A failure with a user-facing code; `detail` adds a specific, plain reason.

    `detail_ja` is the same reason in Japanese, for services that know the reason but not the
    language of the reply (the reply's language is chosen when the error is shown).
    """

    def __init__(self, code: Code, detail: str | None = None, *, detail_ja: str | None = None) -> None:
        self.code = code
        self.detail = detail
        self.detail_ja = detail_ja
        super().__init__(f"{code.value}: {detail or MESSAGES[code]['en']}")

    def message(self, lang: str = "en") -> str:
        base = MESSAGES[self.code].get(lang, MESSAGES[self.code]["en"])
        detail = self.detail_ja if lang == "ja" and self.detail_ja else self.detail
        return f"{base} {detail}" if detail else base

    def as_dict(self, lang: str = "en") -> dict[str, str]:
        return {"code": self.code.value, "message": self.message(lang)}
