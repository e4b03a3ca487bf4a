"""Layout of every view at 80x24 over the fixture store."""

import pytest

from tests.tui.snapshot_app import make_app, settle

pytestmark = pytest.mark.snapshot

SIZE = (80, 24)


async def _settled(pilot) -> None:
    await settle(pilot)


class TestOverviewScreen:
    def test_overview_shows_each_workflow_and_the_totals(
        self, snap_compare, store_path
    ):
        app = make_app(store_path, start="overview")
        assert snap_compare(app, terminal_size=SIZE, run_before=_settled)

    def test_overview_on_a_large_terminal(self, snap_compare, store_path):
        app = make_app(store_path, start="overview")
        assert snap_compare(app, terminal_size=(160, 48), run_before=_settled)


class TestIncidentsScreen:
    def test_incidents_ranked_by_impact(self, snap_compare, store_path):
        app = make_app(store_path, start="incidents")
        assert snap_compare(app, terminal_size=SIZE, run_before=_settled)

    def test_free_text_filter_narrows_the_table(self, snap_compare, store_path):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("slash", *"globex", "enter")
            await settle(pilot)

        app = make_app(store_path, start="incidents")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestIncidentScreen:
    def test_drill_down_of_the_costliest_incident(self, snap_compare, store_path):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)

        app = make_app(store_path, start="incidents")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestApprovalsScreen:
    def test_inbox_with_the_preview_as_a_diff(self, snap_compare, store_path):
        app = make_app(store_path, start="approvals")
        assert snap_compare(app, terminal_size=SIZE, run_before=_settled)

    def test_confirmation_dialog(self, snap_compare, store_path):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)

        app = make_app(store_path, start="approvals")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestEventsScreen:
    def test_timeline_down_to_the_raw_payload(self, snap_compare, store_path):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("slash", *"corr-0005", "enter")
            await settle(pilot)

        app = make_app(store_path, start="events")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestDeadLettersScreen:
    def test_dead_letters_with_a_selection(self, snap_compare, store_path):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("space", "down", "space")
            await settle(pilot)

        app = make_app(store_path, start="deadletters")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestAuditScreen:
    def test_audit_log_with_chain_status(self, snap_compare, store_path):
        app = make_app(store_path, start="audit")
        assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


class TestChatScreen:
    def test_chat_pane_without_a_backend(self, snap_compare, store_path):
        app = make_app(store_path, start="chat")
        assert snap_compare(app, terminal_size=SIZE, run_before=_settled)


class TestJumpScreen:
    def test_colon_prompt_suggests_views(self, snap_compare, store_path):
        async def run_before(pilot):
            await settle(pilot)
            await pilot.press("colon", *"appr")
            await pilot.pause()

        app = make_app(store_path, start="overview")
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
