"""One status type: what reports and browsers stored as plain strings still loads as a status."""

import json

from utils import learner_state, registry
from utils.status import Status, icon_of, label_of

EX_ID = "part1_ray_tracing.intersect_ray_1d"


def test_a_status_is_stored_as_the_same_string_as_before():
    assert [s.value for s in Status] == ["passed", "failed", "error", "timeout", "not_implemented"]
    assert json.loads(json.dumps({"status": Status.NOT_IMPLEMENTED})) == {
        "status": "not_implemented"}
    assert Status.parse("timeout") is Status.TIMEOUT
    assert Status.parse("won") is None and Status.parse({"x": 1}) is None


def test_progress_saved_in_a_browser_loads_as_statuses():
    ex = registry.get(EX_ID)
    learner_state.clear_result(ex)
    learner_state.restore({"status": {EX_ID: "passed", "part1_ray_tracing.gone": "passed",
                                      "part1_ray_tracing.intersect_rays_1d": "won"}})
    assert learner_state.status(ex) is Status.PASSED
    assert learner_state.status(registry.get("part1_ray_tracing.intersect_rays_1d")) is None
    assert json.loads(json.dumps(learner_state.snapshot()["status"]))[EX_ID] == "passed"


def test_every_status_has_an_icon_and_a_label_and_not_started_has_its_own():
    assert len({s.icon for s in Status} | {icon_of(None)}) == len(Status) + 1
    assert len({s.label for s in Status} | {label_of(None)}) == len(Status) + 1
    assert icon_of("passed") == Status.PASSED.icon and icon_of("nonsense") == icon_of(None)


def test_a_page_input_survives_the_browser_store_round_trip_unless_too_long():
    key = "test_status_engine_output"
    assert learner_state.set_page_input(key, '{"add": 1}')
    saved = json.loads(json.dumps(learner_state.snapshot()))
    learner_state._table(learner_state._INPUTS).pop(key)
    assert learner_state.page_input(key) == ""
    learner_state.restore(saved)
    assert learner_state.page_input(key) == '{"add": 1}'
    assert learner_state.set_page_input(key, "typed in this session")
    learner_state.restore(saved)  # what is typed in this session wins over the browser's copy
    assert learner_state.page_input(key) == "typed in this session"
    too_long = "x" * (learner_state.MAX_PAGE_INPUT_CHARS + 1)
    assert not learner_state.set_page_input(key, too_long)
    assert learner_state.page_input(key) == ""
    learner_state.restore({"inputs": {key: too_long, 3: "not a key"}})
    assert learner_state.page_input(key) == ""
