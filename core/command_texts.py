"""Discord's /sake command as the command picker shows it, EN and JA: each subcommand and option's name
(`.name`; the English names are what interactions carry) and description. Merged into core.texts' catalog."""

from __future__ import annotations

COMMAND_TEXTS: dict[str, tuple[str, str]] = {
    "slash.sake.name": ("sake", "日本酒"),
    "slash.sake": ("Sake Sensei, your sake sommelier", "日本酒ソムリエ Sake Sensei"),
    "slash.rec.name": ("rec", "おすすめ"),
    "slash.rec": ("Recommend a sake", "おすすめの日本酒を聞く"),
    "slash.request.name": ("request", "リクエスト"),
    "slash.request": ("What you feel like: dry, fruity, for sashimi...", "好み: 辛口、フルーティ、刺身に合う など"),
    "slash.log.name": ("log", "記録"),
    "slash.log": ("Log a sake you drank", "飲んだお酒を記録する"),
    "slash.brand.name": ("sake", "銘柄"),
    "slash.brand": ("Which sake (type to search)", "銘柄(入力すると候補が出ます)"),
    "slash.rating.name": ("rating", "評価"),
    "slash.rating": ("Stars, 1 to 5", "星 1〜5"),
    "slash.note.name": ("note", "メモ"),
    "slash.note": ("A short tasting note", "ひとことメモ"),
    "slash.history.name": ("history", "履歴"),
    "slash.history": ("Your tasting history", "飲んだお酒の記録"),
    "slash.profile.name": ("profile", "好み"),
    "slash.profile": ("Your taste profile", "あなたの好みのプロフィール"),
    "slash.wishlist.name": ("wishlist", "飲みたい"),
    "slash.wishlist": ("Sakes you want to try", "飲みたいお酒のリスト"),
    "slash.survey.name": ("survey", "アンケート"),
    "slash.survey": ("A short taste survey", "短い好みアンケート"),
    "slash.flight.name": ("flight", "飲み比べ"),
    "slash.flight": ("Start a sake flight for the group", "みんなで飲み比べを始める"),
}
