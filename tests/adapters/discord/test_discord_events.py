"""events: interaction JSON and custom_ids into core Messages; the same for gateway and HTTP."""

from __future__ import annotations

import pytest

from adapters.discord.components import action_of
from adapters.discord.events import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Origin,
    interpret,
    lang_of,
    modal_values,
    origin_of,
    state_key,
    strip_mention,
)
from core.actions import Command, Log, Note, Unknown, Usage, unpack
from tests.adapters.discord.conftest import payload

GUILD = Origin("900", "111", "222", "333", "Hanako", "en-US")
DM = Origin("901", None, "444", "333", "Hanako", "ja")


def command(sub: str, **options: object) -> dict[str, object]:
    return {"id": "1", "name": "sake", "type": 1,
            "options": [{"name": sub, "type": 1, "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()]}]}


def test_keys_languages_and_mentions() -> None:
    assert str(state_key("111", "222", "333")) == "discord:111:222:333"
    assert str(state_key(None, "444", "333")) == "discord:dm:444:333"
    assert (lang_of("ja"), lang_of("en-GB"), lang_of("fr"), lang_of(None)) == ("ja", "en", None, None)
    assert strip_mention("<@42> dassai <@!42>?", 42) == "dassai  ?"


def test_origin_from_a_server_and_from_a_dm() -> None:
    server = origin_of(payload("interaction_message_component_button.json"))
    assert (server.guild_id, server.channel_id, server.user_id) == ("290926798626357999", "345626669114982999", "53908232506183680")
    assert server.key.workspace == "290926798626357999"
    dm = origin_of({"id": "5", "type": 2, "user": {"id": "7", "username": "taro"}, "channel": {"id": "8"}, "locale": "ja"})
    assert (dm.key.workspace, dm.key.channel, dm.display_name, dm.lang) == ("dm", "8", "taro", "ja")
    partial = origin_of(payload("interaction_autocomplete_partial.json"))  # only type and data
    assert partial.user_id == "unknown"


def test_rec_in_english_and_japanese(search) -> None:  # type: ignore[no-untyped-def]
    out = interpret(APPLICATION_COMMAND, command("rec", request="dry, for sashimi"), GUILD, search)
    assert out.message is not None and out.message.text == "Recommend a sake: dry, for sashimi" and not out.ephemeral
    assert out.message.event_id == "900" and out.message.key.workspace == "111"
    ja = interpret(APPLICATION_COMMAND, command("rec"), DM, search)
    assert ja.message is not None and ja.message.text == "おすすめの日本酒を教えて" and ja.message.lang == "ja"


def test_personal_commands_are_ephemeral_in_servers_only(search) -> None:  # type: ignore[no-untyped-def]
    for sub in ("history", "profile", "wishlist", "survey"):
        assert interpret(APPLICATION_COMMAND, command(sub), GUILD, search).ephemeral, sub
        assert not interpret(APPLICATION_COMMAND, command(sub), DM, search).ephemeral, sub
    survey = interpret(APPLICATION_COMMAND, command("survey"), GUILD, search)
    assert survey.message is not None and survey.message.action == unpack("survey:start")


def test_slash_commands_are_typed_commands_never_english_text(search) -> None:  # type: ignore[no-untyped-def]
    for sub in ("history", "profile", "wishlist"):
        for origin in (GUILD, DM):
            out = interpret(APPLICATION_COMMAND, command(sub), origin, search)
            assert out.message is not None and out.message.action == Command(sub) and out.message.text == "", sub


def test_log_by_id_by_name_with_and_without_a_rating(search) -> None:  # type: ignore[no-untyped-def]
    dassai = search.search("獺祭", limit=1)[0].brand.id
    assert interpret(APPLICATION_COMMAND, command("log", sake=str(dassai)), GUILD, search).note_for == dassai
    assert interpret(APPLICATION_COMMAND, command("log", sake="dassai"), GUILD, search).note_for == dassai
    rated = interpret(APPLICATION_COMMAND, command("log", sake=str(dassai), rating="4.5", note="melon"), GUILD, search)
    assert rated.message is not None and rated.ephemeral
    assert (rated.message.action, rated.message.action_values) == (unpack(f"note:{dassai}"), {"rating": "4.5", "notes": "melon"})
    unknown = interpret(APPLICATION_COMMAND, command("log", sake="qqqqzzzz"), GUILD, search)
    assert unknown.message is not None and unknown.message.action == Usage("log", "qqqqzzzz", option="sake") and unknown.ephemeral


def test_unknown_commands_are_usage_the_core_answers(search) -> None:  # type: ignore[no-untyped-def]
    for data in (payload("interaction_application_command_minimal.json")["data"],
                 payload("interaction_application_command_user.json")["data"],
                 {"name": "sake", "type": 1, "options": [{"name": "dance", "type": 1}]}):
        out = interpret(APPLICATION_COMMAND, data, GUILD, search)
        assert out.message is not None and isinstance(out.message.action, Usage) and out.ephemeral


def test_components_carry_typed_actions(search) -> None:  # type: ignore[no-untyped-def]
    click = interpret(MESSAGE_COMPONENT, {"custom_id": "similar:887", "component_type": 2}, GUILD, search)
    assert click.message is not None and click.message.action == unpack("similar:887") and not click.ephemeral
    wish = interpret(MESSAGE_COMPONENT, {"custom_id": "wish:887", "component_type": 2}, GUILD, search)
    assert wish.ephemeral
    star = interpret(MESSAGE_COMPONENT, {"custom_id": "rate:887:4", "component_type": 2}, DM, search)
    assert star.message is not None and star.message.action == unpack("rate:887:4")
    # "Log it" is the core's (it answers with stars); "Log with notes" opens the core's form as a modal
    log = interpret(MESSAGE_COMPONENT, {"custom_id": "log:887", "component_type": 2}, GUILD, search)
    assert log.message is not None and log.message.action == Log(887) and log.note_for is None
    assert interpret(MESSAGE_COMPONENT, {"custom_id": "note:887", "component_type": 2}, GUILD, search).note_for == 887
    # buttons of the previous release still work
    chosen = interpret(MESSAGE_COMPONENT, {"custom_id": "sel:rate:887", "component_type": 3, "values": ["3.5"]}, DM, search)
    assert chosen.message is not None and chosen.message.action == unpack("rate:887:3.5")
    # a custom_id we never issued reaches the core as Unknown, which answers "that button is no longer valid"
    other = interpret(MESSAGE_COMPONENT, {"custom_id": "click_one", "component_type": 2}, GUILD, search)
    assert other.message is not None and isinstance(other.message.action, Unknown)


@pytest.mark.parametrize("custom_id,values,expected", [
    ("log:887", None, Log(887)),
    ("rate:887:4", None, unpack("rate:887:4")),
    ("cmd:profile", None, Command("profile")),
    ("btn:log:887", None, Log(887)),
    ("btn:survey:start", None, unpack("survey:start")),
    ("sel:rate:887", ["4"], unpack("rate:887:4")),
    ("modal:note:887", None, Note(887)),
    ("note:887", None, Note(887)),
])
def test_action_of(custom_id: str, values: list[str] | None, expected: object) -> None:
    assert action_of(custom_id, values) == expected


@pytest.mark.parametrize("custom_id,values", [("sel:rate:887", []), ("btn:", None), ("btn:log:887 ; drop", None),
                                              ("class_select_1", ["mage"]), ("pick:" + "9" * 120, None)])
def test_custom_ids_we_never_issued_are_unknown(custom_id: str, values: list[str] | None) -> None:
    assert isinstance(action_of(custom_id, values), Unknown)


def test_modal_values_from_labels_and_from_action_rows() -> None:
    assert modal_values(payload("modal_submit_data_text_input.json")["data"]["components"]) == {
        "game_feedback": "The recent changes to acceleration feel much better, but shadows still need help"}
    assert modal_values(payload("interaction_modal_submit_text_input.json")["data"]["components"]) == {"name": "John"}
    assert modal_values(payload("modal_submit_data_string_select.json")["data"]["components"]) != {}


def test_a_note_submission_becomes_a_note_action(search) -> None:  # type: ignore[no-untyped-def]
    data = {"custom_id": "note:887", "components": [
        {"type": 18, "component": {"type": 3, "custom_id": "rating", "values": ["5"]}},
        {"type": 18, "component": {"type": 4, "custom_id": "notes", "value": "  "}},
        {"type": 18, "component": {"type": 4, "custom_id": "food", "value": "刺身"}}]}
    out = interpret(MODAL_SUBMIT, data, GUILD, search)
    assert out.message is not None and out.ephemeral
    assert out.message.action == unpack("note:887") and out.message.action_values == {"rating": "5", "notes": "  ", "food": "刺身"}
    assert interpret(MODAL_SUBMIT, {"custom_id": "cool_modal", "components": []}, GUILD, search).ignore


def test_autocomplete_only_for_our_command(search) -> None:  # type: ignore[no-untyped-def]
    data = {"name": "sake", "type": 1, "options": [{"name": "log", "type": 1, "options": [
        {"name": "sake", "type": 3, "value": "juyondai", "focused": True}]}]}
    names = [n for n, _ in interpret(AUTOCOMPLETE, data, GUILD, search).choices]
    assert names and names[0].startswith("十四代")
    assert interpret(AUTOCOMPLETE, payload("interaction_autocomplete_minimal.json")["data"], GUILD, search).choices == []
