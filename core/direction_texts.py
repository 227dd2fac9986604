"""A flavor direction or a sake style in a word, EN and JA: what a request asked for and had to give up
(core.constraints), how a pick stands against what a dish wants (core.pairing), and a drinker's taste
(core.profile). Each says the same axis its own way, so each has its own keys; merged into core.texts' one catalog."""

from __future__ import annotations

DIRECTION_TEXTS: dict[str, tuple[str, str]] = {
    # a request's flavor constraint: "constraint.f5+" is drier than the median brand
    "constraint.f1+": ("aromatic", "華やか"), "constraint.f1-": ("not aromatic", "香り控えめ"),
    "constraint.f2+": ("mellow", "芳醇"), "constraint.f2-": ("lean", "淡麗"),
    "constraint.f3+": ("rich", "濃厚"), "constraint.f3-": ("not heavy", "重すぎない"),
    "constraint.f4+": ("calm", "穏やか"), "constraint.f4-": ("lively", "個性的"),
    "constraint.f5+": ("dry", "辛口"), "constraint.f5-": ("sweet", "甘口"),
    "constraint.f6+": ("light", "軽快"), "constraint.f6-": ("full", "どっしり"),
    "constraint.charted": ("a sake with a flavor chart", "味のデータがあるお酒"),
    "constraint.not": ("not {name}", "{name}以外"),
    # a style asked for, refused or left out (core.styles)
    "style_name.sparkling": ("sparkling", "発泡"), "style_name.fizzy": ("fizzy", "ガス感"),
    "style_name.cloudy": ("cloudy (nigori)", "にごり"), "style_name.very_sweet": ("very sweet", "極甘口"),
    "style_name.aged": ("aged (koshu)", "古酒"), "style_name.namazake": ("namazake", "生酒"),
    "style_name.genshu": ("genshu", "原酒"), "style_name.kijoshu": ("kijoshu", "貴醸酒"), "style_name.taruzake": ("taruzake", "樽酒"),
    "style_name.kimoto": ("kimoto or yamahai", "生酛・山廃"),
    "style_name.low_alcohol": ("low alcohol", "低アルコール"),
    # a brand higher (+) or lower (-) than most on the axis a dish wants: "drier than most"
    "dish_trait.f1+": ("more aromatic", "華やか"), "dish_trait.f1-": ("quieter", "香り控えめ"),
    "dish_trait.f2+": ("mellower", "芳醇"), "dish_trait.f2-": ("leaner", "淡麗"),
    "dish_trait.f3+": ("richer", "重厚"), "dish_trait.f3-": ("lighter-bodied", "軽め"),
    "dish_trait.f4+": ("calmer", "穏やか"), "dish_trait.f4-": ("livelier", "個性的"),
    "dish_trait.f5+": ("drier", "ドライ"), "dish_trait.f5-": ("sweeter", "甘口"),
    "dish_trait.f6+": ("lighter", "軽快"), "dish_trait.f6-": ("weightier", "どっしり"),
    # a drinker's taste leaning one way on an axis: "you like aromatic, light sakes"
    "taste_trait.f1+": ("aromatic", "華やか"), "taste_trait.f1-": ("quietly scented", "香り控えめ"),
    "taste_trait.f2+": ("mellow", "芳醇"), "taste_trait.f2-": ("lean", "淡麗"),
    "taste_trait.f3+": ("rich", "重厚"), "taste_trait.f3-": ("light-bodied", "軽め"),
    "taste_trait.f4+": ("calm", "穏やか"), "taste_trait.f4-": ("lively", "個性的"),
    "taste_trait.f5+": ("dry", "辛口"), "taste_trait.f5-": ("sweet", "甘口"),
    "taste_trait.f6+": ("light", "軽快"), "taste_trait.f6-": ("full", "どっしり"),
}
