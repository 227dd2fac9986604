"""The plain sentence shown with each error code (core.errors.Code), EN and JA: keyed "error." and the
code's name in lower case, so a new code without its sentence fails at import. Merged into core.texts' catalog."""

from __future__ import annotations

ERROR_TEXTS: dict[str, tuple[str, str]] = {
    "error.preferences_not_found": (
        "I don't know your taste yet. Take the short taste survey, or log a few sakes.",
        "まだ好みがわかりません。短い好みアンケートに答えるか、飲んだお酒を記録してください。",
    ),
    "error.unknown_sake": ("I couldn't find that sake in the catalog.", "そのお酒はカタログに見つかりませんでした。"),
    "error.agent_failed": (
        "The language model didn't answer, so I answered with my built-in model.",
        "言語モデルが応答しなかったため、内蔵モデルで答えました。",
    ),
    "error.recommendation_failed": (
        "Sorry, I couldn't make a recommendation just now.", "申し訳ありません、今はおすすめを作れませんでした。",
    ),
    "error.image_unreadable": ("I couldn't read that image.", "その画像を読み取れませんでした。"),
    "error.tasting_not_saved": (
        "Your tasting could not be saved; nothing was changed. Please try again.",
        "記録を保存できませんでした(何も変更されていません)。もう一度お試しください。",
    ),
    "error.bad_signature": ("The request signature is invalid.", "リクエストの署名が無効です。"),
    "error.unknown_tool": ("The model asked for a tool I don't have.", "モデルが存在しないツールを呼び出しました。"),
    "error.rate_limited": (
        "You're sending messages a little fast. Please wait a moment.",
        "メッセージが多すぎます。少し待ってからお試しください。",
    ),
    "error.not_allowed": ("You're not allowed to do that here.", "ここではその操作は許可されていません。"),
    "error.menu_not_changed": ("The sake menu was not changed.", "日本酒メニューは変更されていません。"),
}
