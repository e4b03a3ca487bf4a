from hypothesis import given
from hypothesis import strategies as st

from opsgate.rules.delivery.replay import merge_patch
from opsgate.rules.gate.patch import apply_patch, as_merge_patch

values = st.recursive(
    st.one_of(st.integers(), st.text(max_size=5), st.booleans()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=8,
)
objects = st.dictionaries(st.text(max_size=4), values, max_size=5)


@given(objects, objects)
def test_merge_patch_from_any_json_patch_result_reproduces_it(before, after):
    assert merge_patch(before, as_merge_patch(before, after)) == after


def test_json_patch_remove_and_replace_become_the_payload_the_engine_replays():
    before = {"name": "Acme", "hubspot_owner": "7", "date": "03/12/2026"}
    patch = [
        {"op": "remove", "path": "/hubspot_owner"},
        {"op": "replace", "path": "/date", "value": "2026-12-03"},
    ]

    after = apply_patch(before, patch)

    assert merge_patch(before, as_merge_patch(before, after)) == {
        "name": "Acme",
        "date": "2026-12-03",
    }
    assert before["hubspot_owner"] == "7"
