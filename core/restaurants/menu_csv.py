"""The menu as a CSV file: import one shared in chat (with a report of rows that did not match), export one.

Restaurants keep their sake list in Excel, so the import reads what Excel writes: UTF-8 with or
without a BOM, Shift_JIS (cp932), UTF-16; commas, tabs or semicolons; English or Japanese
headers (銘柄, 特定名称, グラス, ボトル, 在庫 …). A file that cannot be read at all (binary,
empty, too big, no name column) is refused with SS-011 and changes nothing. Otherwise every
good row is written in one transaction and every bad row is reported with its line number,
the value, the reason and the closest catalog names. The export writes what the import reads
(UTF-8 with a BOM, so Excel shows the Japanese), so a menu round-trips.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from core.db.restaurant_tables import MenuItemRow
from core.errors import SenseiError
from core.identity import Principal
from core.restaurants.brands import BrandMatch, resolve_brand
from core.restaurants.menu import MAX_ITEMS, Menu, MenuInput, MenuItem, _to_item, input_for
from core.restaurants.roles import Role
from core.restaurants.values import invalid
from core.texts import t

MAX_BYTES = 1_000_000  # a 500-item menu is ~50 KB; a megabyte is not a menu
MAX_SHOWN = 20  # problems listed in the chat summary (all are in the report)

# Column -> every header that means it (folded: NFKC, lower case, no spaces, units in brackets dropped).
COLUMNS: dict[str, tuple[str, ...]] = {
    "brand_id": ("brand_id", "brandid", "id", "sakenowa_id", "sakenowaid", "銘柄id", "銘柄ID"),
    "name": ("name", "sake", "brand", "brand_name", "sake_name", "label", "銘柄", "銘柄名", "酒名", "お酒", "日本酒", "名前", "名称"),
    "brewery": ("brewery", "brewer", "maker", "kura", "蔵元", "酒蔵", "酒造", "蔵", "醸造元", "メーカー", "製造元"),
    "prefecture": ("prefecture", "pref", "region", "都道府県", "県", "産地", "地域"),
    "grade": ("grade", "type", "class", "特定名称", "種類", "区分", "種別", "分類"),
    "product": ("product", "bottling", "product_name", "商品", "商品名", "品名"),
    "price_glass": ("price_glass", "glass", "glass_price", "price_per_glass", "per_glass", "by_the_glass",
                    "グラス", "グラス価格", "一杯", "1杯", "杯"),
    "price_bottle": ("price_bottle", "bottle", "bottle_price", "price_per_bottle", "per_bottle",
                     "ボトル", "ボトル価格", "一本", "1本", "瓶", "四合瓶", "一升瓶"),
    "stock": ("stock", "in_stock", "instock", "count", "count_left", "left", "inventory", "qty", "quantity",
              "在庫", "在庫数", "残り", "残数", "本数"),
    "notes": ("notes", "note", "memo", "comment", "comments", "メモ", "備考", "コメント"),
}
HEADERS = {"en": ("brand_id", "name", "brewery", "prefecture", "grade", "product", "price_glass", "price_bottle", "stock", "notes"),
           "ja": ("銘柄ID", "銘柄", "蔵元", "都道府県", "特定名称", "商品名", "グラス", "ボトル", "在庫", "備考")}
_FORMULA = ("=", "+", "-", "@")  # cells Excel would run as formulas


def _fold_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[(\[（【].*?[)\]）】]", "", text)  # "グラス(円)", "price (yen)"
    return re.sub(r"[\s_\-・/]+", "_", text).strip("_")


_HEADER_LOOKUP = {_fold_header(h): col for col, names in COLUMNS.items() for h in names}


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int  # line of the file (the header is line 1)
    value: str  # what the row called the sake
    reason_en: str
    reason_ja: str
    suggestions: tuple[str, ...] = ()  # closest catalog names (with brewery, prefecture)
    suggestion_ids: tuple[int, ...] = ()

    def reason(self, lang: str = "en") -> str:
        return self.reason_ja if lang == "ja" else self.reason_en

    def text(self, lang: str = "en") -> str:
        return t("csv.row_problem", lang, line=self.line, value=self.value, reason=self.reason(lang))


@dataclass(slots=True)
class ImportReport:
    encoding: str
    rows: int = 0
    added: list[MenuItem] = field(default_factory=list)
    updated: list[MenuItem] = field(default_factory=list)
    removed: list[MenuItem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    applied: bool = True  # False when replace=True met a bad row: nothing was written

    def summary(self, lang: str = "en") -> str:
        ja = lang == "ja"
        lines = []
        if not self.applied:
            lines.append(
                f"{len(self.problems)}行に問題があるため、メニューは置き換えていません(何も変更していません)。" if ja
                else f"Nothing was imported: {len(self.problems)} rows have problems, and replacing the menu needs every row to match."
            )
        else:
            lines.append(
                f"{len(self.added) + len(self.updated)}品を取り込みました(新規{len(self.added)}、更新{len(self.updated)})。" if ja
                else f"Imported {len(self.added) + len(self.updated)} items ({len(self.added)} new, {len(self.updated)} updated)."
            )
            if self.removed:
                lines.append(
                    f"ファイルにない{len(self.removed)}品をメニューから外しました。"
                    if ja
                    else f"Removed {len(self.removed)} items that were not in the file."
                )
            if self.problems:
                lines.append(f"{len(self.problems)}行は取り込めませんでした:" if ja else f"{len(self.problems)} rows were not imported:")
        for p in self.problems[:MAX_SHOWN]:
            lines.append("・" + p.text(lang) if ja else "• " + p.text(lang))
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"ほか{len(self.problems) - MAX_SHOWN}行" if ja else f"… and {len(self.problems) - MAX_SHOWN} more")
        if self.ignored_columns:
            cols = "、".join(self.ignored_columns) if ja else ", ".join(self.ignored_columns)
            lines.append(f"使わなかった列: {cols}" if ja else f"Columns I did not use: {cols}")
        return "\n".join(lines)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a CSV file, or SS-011 saying why it cannot be read."""
    if len(data) > MAX_BYTES:
        raise invalid(
            f"The file is {len(data) // 1000:,} KB; a menu CSV can be at most {MAX_BYTES // 1000:,} KB.",
            f"ファイルが大きすぎます({len(data) // 1000:,} KB)。メニューのCSVは{MAX_BYTES // 1000:,} KBまでです。",
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise invalid("The file is empty.", "ファイルが空です。")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise invalid(
            "That is an Excel workbook, not a CSV; in Excel use “Save as” → “CSV UTF-8”.",
            "これはExcelのブックでCSVではありません。Excelの「名前を付けて保存」で「CSV UTF-8」を選んでください。",
        )
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp932"]  # cp932: the Shift_JIS Excel writes on Japanese Windows
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
            break  # decodes, but holds control bytes: a binary file
        return text, "shift_jis" if encoding == "cp932" else encoding.removesuffix("-sig")
    raise invalid(
        "I can't read that file as text; save it as CSV (UTF-8 or Shift_JIS).",
        "ファイルを文字として読めません。CSV(UTF-8またはShift_JIS)で保存してください。",
    )


def _reader(text: str) -> csv.reader:  # type: ignore[valid-type]
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text, newline=""), dialect)


def _cell(value: str) -> str:
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA:
        return value[1:]  # our export guards formulas with a quote; take it off again
    return value


class MenuCsv:
    def __init__(self, menu: Menu) -> None:
        self.menu = menu

    async def import_csv(self, principal: Principal, data: bytes, *, replace: bool = False, platform_admin: bool = False) -> ImportReport:
        """Read a menu CSV into the asker's menu: good rows in one transaction, bad rows reported.

        `replace=True` makes the file the whole menu (items not in it are removed), and then
        only when every row is good: a half-matched file must not empty a menu.
        """
        restaurant = await self.menu.restaurants.require(
            principal, Role.STAFF, platform_admin=platform_admin, doing="doing.import_menu"
        )
        text, encoding = decode(data)
        report = ImportReport(encoding=encoding)
        reader = _reader(text)
        try:
            header = next(reader, None)
            while header is not None and not any(h.strip() for h in header):
                header = next(reader, None)
            if header is None:
                raise invalid("The file has no header row.", "ファイルに見出し行がありません。")
            columns = self._columns(header, report)
            inputs: list[tuple[int, MenuInput]] = []
            seen: dict[tuple[int, str, str], int] = {}
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                report.rows += 1
                if report.rows > MAX_ITEMS:
                    raise invalid(
                        f"The file has more than {MAX_ITEMS} rows; a menu holds at most {MAX_ITEMS} items.",
                        f"行数が{MAX_ITEMS}を超えています。メニューは{MAX_ITEMS}品までです。",
                    )
                line = reader.line_num
                row = {col: _cell(cells[i]) if i < len(cells) else "" for col, i in columns.items()}
                inp = self._row(line, row, report)
                if inp is None:
                    continue
                key = (inp.brand.id, inp.grade, inp.product)
                if key in seen:
                    report.problems.append(
                        RowProblem(
                            line,
                            row.get("name") or row.get("brand_id") or "",
                            f"the same item as line {seen[key]}.",
                            f"{seen[key]}行目と同じ品です。",
                        )
                    )
                    continue
                seen[key] = line
                inputs.append((line, inp))
        except csv.Error as e:
            raise invalid(
                f"The CSV is malformed near line {reader.line_num}: {e}.", f"CSVの{reader.line_num}行目付近の形式が正しくありません。"
            ) from None
        if report.rows == 0:
            raise invalid("The file has a header but no rows.", "見出し行のほかに行がありません。")
        if replace and report.problems:
            report.applied = False
            return report
        async with self.menu.db.transaction() as s:
            if replace:
                keep = {(inp.brand.id, inp.grade, inp.product) for _, inp in inputs}
                existing = (await s.scalars(select(MenuItemRow).where(MenuItemRow.restaurant_id == restaurant.id))).all()
                gone = [r for r in existing if (r.brand_id, r.grade, r.product) not in keep]
                report.removed = [_to_item(r, self.menu.search) for r in gone]
                if gone:
                    await s.execute(
                        delete(MenuItemRow).where(MenuItemRow.restaurant_id == restaurant.id, MenuItemRow.id.in_([r.id for r in gone]))
                    )
            for item, created in await self.menu._write_many(s, restaurant, [inp for _, inp in inputs]):
                (report.added if created else report.updated).append(item)
        return report

    @staticmethod
    def _columns(header: list[str], report: ImportReport) -> dict[str, int]:
        columns: dict[str, int] = {}
        for i, raw in enumerate(header):
            name = _fold_header(raw.lstrip("\ufeff"))
            col = _HEADER_LOOKUP.get(name)
            if col is None:
                if raw.strip():
                    report.ignored_columns.append(raw.strip())
                continue
            if col in columns:
                raise invalid(
                    f"Two columns mean {col}: {header[columns[col]]!r} and {raw!r}; keep one.",
                    f"{header[columns[col]]}と{raw}が同じ意味の列です。どちらか一方にしてください。",
                )
            columns[col] = i
        if not {"name", "brand_id", "product"} & set(columns):
            found = ", ".join(h.strip() for h in header if h.strip()) or "none"
            raise invalid(
                f"No column names the sake (name / 銘柄, or brand_id); the columns are: {found}.",
                f"お酒の名前の列(銘柄 / name、または brand_id)がありません。列: {found}",
            )
        if "name" not in columns and "brand_id" not in columns:
            columns["name"] = columns.pop("product")  # one column holding "獺祭 純米大吟醸 45": brand, grade and product
        return columns

    def _row(self, line: int, row: dict[str, str], report: ImportReport) -> MenuInput | None:
        value = row.get("name") or row.get("brand_id") or ""
        if row.get("brand_id"):
            ref = unicodedata.normalize("NFKC", row["brand_id"]).strip()
            brand = self.menu.search.catalog.get(int(ref)) if ref.isdigit() else None
            if brand is None:
                report.problems.append(RowProblem(line, ref, "no catalog brand has this id.", "この銘柄IDはカタログにありません。"))
                return None
            match = BrandMatch(brand)
        elif not value:
            report.problems.append(RowProblem(line, "", "the sake name is empty.", "銘柄が空です。"))
            return None
        else:
            match = resolve_brand(self.menu.search, value, brewery=row.get("brewery"), prefecture=row.get("prefecture"))
            if match.brand is None:
                report.problems.append(
                    RowProblem(
                        line,
                        value,
                        match.reason("en"),
                        match.reason("ja"),
                        tuple(b.label() for b in match.candidates[:4]),
                        tuple(b.id for b in match.candidates[:4]),
                    )
                )
                return None
        try:
            return input_for(
                match, grade=row.get("grade"), product=row.get("product"),
                price_glass=row.get("price_glass"), price_bottle=row.get("price_bottle"), stock=row.get("stock"), notes=row.get("notes"),
            )
        except SenseiError as e:
            report.problems.append(RowProblem(line, value, e.detail or e.message("en"), e.detail_ja or e.message("ja")))
            return None

    async def export_csv(self, principal: Principal, *, lang: str = "en", platform_admin: bool = False) -> bytes:
        """The menu as CSV (UTF-8 with BOM, Excel's line ends); staff only, since it shows stock counts."""
        restaurant = await self.menu.restaurants.require(
            principal, Role.STAFF, platform_admin=platform_admin, doing="doing.export_menu"
        )
        return render_csv(await self.menu._items(restaurant), lang)


def render_csv(items: list[MenuItem], lang: str = "en") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS["ja" if lang == "ja" else "en"])
    yes, no = ("あり", "なし") if lang == "ja" else ("yes", "no")
    for item in items:
        stock = str(item.stock.count_left) if item.stock.count_left is not None else (yes if item.stock.in_stock else no)
        b = item.brand
        row = [
            item.brand_id,
            b.name if b else "",
            b.brewery if b else "",
            b.prefecture if b else "",
            item.grade,
            item.product,
            "" if item.price_glass is None else item.price_glass,
            "" if item.price_bottle is None else item.price_bottle,
            stock,
            item.notes or "",
        ]
        writer.writerow([_guard(str(v)) for v in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def _guard(value: str) -> str:
    """A cell Excel would run as a formula (=, +, -, @) gets a leading quote; the import takes it off."""
    return "'" + value if value[:1] in _FORMULA else value
