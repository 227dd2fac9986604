"""A restaurant workspace's words, EN and JA: the restaurant tools' sentences, and its roles, what a refused asker was trying to do, a menu
item's prices and stock, why a menu line names no catalog brand, the cheat sheet's and a menu CSV's labels,
and the traits a guest line says a sake stands out for. Merged into core.texts' catalog."""

from __future__ import annotations

RESTAURANT_TEXTS: dict[str, tuple[str, str]] = {
    # who someone is in the restaurant (core.restaurants.roles.Role.label)
    "role.owner": ("owner", "オーナー"),
    "role.staff": ("staff", "スタッフ"),
    "role.guest": ("guest", "ゲスト"),
    # what the asker was refused ("Only staff of … can {doing}"; "{doing}ができるのは…")
    "doing.anything": ("do that", "その操作"),
    "doing.add_staff": ("add staff", "スタッフの追加"),
    "doing.remove_staff": ("remove staff", "スタッフの削除"),
    "doing.see_staff": ("see the staff list", "スタッフ一覧の表示"),
    "doing.change_menu": ("change the menu", "メニューの変更"),
    "doing.see_cheatsheet": ("see the staff cheat sheet", "スタッフ用の早見表の表示"),
    "doing.import_menu": ("import a menu", "メニューの取り込み"),
    "doing.export_menu": ("export the menu", "メニューの書き出し"),
    # a menu item's prices ({price}: the yen with thousands separators) and stock
    "price.glass": ("glass ¥{price}", "グラス {price}円"),
    "price.bottle": ("bottle ¥{price}", "ボトル {price}円"),
    "stock.out": ("out of stock", "在庫切れ"),
    "stock.left": ("{n} left", "残り{n}本"),
    "stock.in": ("in stock", "在庫あり"),
    # why a menu line names no catalog brand ({names}: the candidates)
    "brand.ambiguous": ("several brands have this name ({names}); add the brewery or prefecture.",
                        "同じ名前の銘柄が複数あります({names})。蔵元か都道府県を添えてください。"),
    "brand.other_brewery": ("no brand of that name from that brewery or prefecture (found: {names}).",
                            "その蔵元・都道府県の銘柄は見つかりませんでした(候補: {names})。"),
    "brand.did_you_mean": ("not in the catalog; did you mean {names}?", "カタログにありません。もしかして: {names}"),
    "brand.not_found": ("not in the catalog.", "カタログにありません。"),
    # the staff cheat sheet, a menu CSV's rows, an unranked pick
    "cheatsheet.empty": ("The menu has no sakes yet.", "メニューにお酒がありません。"),
    "cheatsheet.title": ("Staff cheat sheet ({n} items)", "スタッフ用早見表({n}品)"),
    "cheatsheet.no_chart": ("no flavor chart", "チャートなし"),
    "csv.row_problem": ("line {line} “{value}”: {reason}", "{line}行目「{value}」: {reason}"),
    "picks.unranked": ("In stock; no flavor or ranking data to order it by.", "在庫あり。味のデータがないため順位は付けていません。"),
    # the flavor axis a sake stands out on, in a guest line (core.restaurants.serving)
    "serving.trait.f1": ("floral", "華やか"),
    "serving.trait.f2": ("mellow", "芳醇"),
    "serving.trait.f3": ("full-bodied", "重厚"),
    "serving.trait.f4": ("gentle", "穏やか"),
    "serving.trait.f5": ("dry", "ドライ"),
    "serving.trait.f6": ("light", "軽快"),
    # the restaurant tools' sentences
    "restaurant.created": (
        "This workspace is now the restaurant “{name}”, and you are its owner. Add staff with `/sake staff add @someone`, "
        "then add sakes to the menu (\"add 獺祭 to the menu at 900 yen a glass\") or share a menu CSV.",
        "このワークスペースをレストラン「{name}」として登録しました。あなたがオーナーです。`/sake staff add @名前` でスタッフを追加し、"
        "「獺祭をメニューに追加 グラス900円」のようにお酒を登録するか、メニューのCSVを共有してください。",
    ),
    "restaurant.renamed": ("The restaurant is now called “{name}”.", "レストラン名を「{name}」にしました。"),
    "staff.admins_count": ("Workspace admins count as staff too.", "ワークスペースの管理者もスタッフとして扱います。"),
    "staff.added": ("{who} is now staff: they can change the menu and stock.",
                    "{who} をスタッフにしました。メニューと在庫を変更できます。"),
    "staff.removed": ("{member} is no longer staff.", "{member} をスタッフから外しました。"),
    "staff.already": ("{who} is already {role}.", "{who} はすでに{role}です。"),
    "staff.not_staff": ("{member} is not on the staff.", "{member} はスタッフではありません。"),
    "staff.head": ("Staff:", "スタッフ:"),
    "menu.added": ("Added to the menu:", "メニューに追加しました:"),
    "menu.updated": ("Updated on the menu:", "メニューを更新しました:"),
    "menu.removed": ("Removed #{number} {title} from the menu.", "#{number} {title} をメニューから外しました。"),
    "menu.in_stock_head": ("In stock ({count}):", "在庫のあるお酒({count}品):"),
    "menu.head": ("The menu ({count} items):", "メニュー({count}品):"),
    "menu.csv_done": ("Here is the menu as CSV ({rows} items).", "メニューをCSVにしました({rows}品)。"),
    "menu.item_updated": ("Updated: ", "更新しました: "),
    "menu.more": ("… and {more} more (export the menu as CSV for all)", "…ほか{more}品(全品はCSVで書き出せます)"),
    "menu.attach_csv": (
        "Attach the menu as a CSV file (columns such as name, grade, glass, bottle, stock) and ask again.",
        "メニューのCSVファイル(銘柄・特定名称・グラス・ボトル・在庫などの列)を添付して、もう一度送ってください。",
    ),
    "menu.none_in_stock": ("Nothing is in stock right now.", "いま在庫のあるお酒はありません。"),
    "menu.empty": ("The menu is empty.", "メニューは空です。"),
    "picks.head": ("From what's in stock:", "在庫のあるお酒から:"),
    "picks.serve": ("   Serve: {temperature}", "   温度: {temperature}"),
    "picks.say": ("   Say: “{pitch}”", "   ひとこと:「{pitch}」"),
    "cheatsheet.page": ("Staff cheat sheet, page {n} of {pages}", "スタッフ用早見表 {n}/{pages}ページ"),
}
