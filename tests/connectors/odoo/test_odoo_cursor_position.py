from opsgate.connectors.odoo.cursor import CursorPosition


def test_fresh_position_selects_everything():
    assert CursorPosition().domain() == []


def test_position_keeps_ids_seen_within_the_same_second():
    position = CursorPosition()
    for record in (
        {"id": 7, "write_date": "2026-12-03 19:36:28"},
        {"id": 9, "write_date": "2026-12-03 19:36:28"},
    ):
        position = position.after(record)

    assert position == CursorPosition("2026-12-03 19:36:28", frozenset({7, 9}))


def test_a_later_second_resets_the_ids_seen():
    position = CursorPosition("2026-12-03 19:36:28", frozenset({7, 9}))

    assert position.after(
        {"id": 3, "write_date": "2026-12-03 19:36:29"}
    ) == CursorPosition("2026-12-03 19:36:29", frozenset({3}))


def test_domain_reads_the_same_second_again_without_the_ids_already_seen():
    position = CursorPosition("2026-12-03 19:36:59", frozenset({9, 7}))

    assert position.domain() == [
        ["write_date", ">=", "2026-12-03 19:36:59"],
        "|",
        ["write_date", ">=", "2026-12-03 19:37:00"],
        ["id", "not in", [7, 9]],
    ]
