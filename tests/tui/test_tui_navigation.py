"""Moving around: `:` jumps, number keys, the palette, the keymap, filters."""

from textual.widgets import DataTable, Static, Tree

from opsgate.tui.app import VIEWS
from opsgate.tui.screens.approvals import ApprovalsScreen
from opsgate.tui.screens.decision import DecisionScreen
from opsgate.tui.screens.events import EventsScreen
from opsgate.tui.screens.incident import IncidentScreen
from opsgate.tui.screens.incidents import IncidentsScreen
from opsgate.tui.settings import TuiSettings
from tests.tui.snapshot_app import make_app, settle


async def test_colon_jumps_to_the_named_view(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("colon", *"incidents", "enter")
        await settle(pilot)

        assert isinstance(app.screen, IncidentsScreen)


async def test_colon_accepts_a_prefix_and_refuses_unknown_names(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("colon", *"nope", "enter")
        await pilot.pause()
        hint = str(app.screen.query_one("#hint").render())
        assert "No view called 'nope'" in hint

        await pilot.press(*["backspace"] * 4, *"appr", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen)


async def test_number_keys_switch_views(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

        assert isinstance(app.screen, EventsScreen)


async def test_palette_offers_every_view(store_path):
    app = make_app(store_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]

    assert [f"Go to {name}" for name in VIEWS] == titles[: len(VIEWS)]


async def test_keymap_moves_the_approve_binding(store_path):
    settings = TuiSettings(refresh_interval_s=3600, keymap={"approvals.approve": "y"})
    app = make_app(store_path, start="approvals", settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ApprovalsScreen)

        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, DecisionScreen)


async def test_question_mark_toggles_the_key_help(store_path):
    app = make_app(store_path, start="incidents")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")

        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


async def test_category_menu_filters_and_count_follows(store_path):
    app = make_app(store_path, start="incidents")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#category").value = "permission"
        await settle(pilot)

        table = screen.query_one("#table", DataTable)
        categories = {table.get_row_at(i)[2] for i in range(table.row_count)}
        assert categories == {"permission"}
        count = str(screen.query_one("#count", Static).render())
        assert count.startswith(f"{table.row_count} incidents match")


async def test_enter_opens_the_drill_down_with_the_proposal(store_path):
    app = make_app(store_path, start="incidents")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, IncidentScreen)
        proposal = str(app.screen.query_one("#proposal", Static).render())
        assert "add_mapping" in proposal
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)


async def test_events_found_by_customer_show_their_deliveries(store_path):
    app = make_app(store_path, start="events")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Globex Partners", "enter")
        await settle(pilot)

        results = app.screen.query_one("#results", DataTable)
        subjects = {results.get_row_at(i)[5] for i in range(results.row_count)}
        assert subjects <= {"Globex Partners"}
        tree = app.screen.query_one("#timeline", Tree)
        assert any("delivery" in str(node.label) for node in tree.root.children)
        payload = str(app.screen.query_one("#payload", Static).render())
        assert "raw payload" in payload


async def test_dead_letter_replay_previews_then_requeues_once_confirmed(store_path):
    from opsgate.rules.store.db import create_store_engine, session_scope
    from opsgate.rules.store.statuses import DeliveryStatus
    from opsgate.rules.store.tables import DeadLetter, Delivery
    from opsgate.tui.screens.confirm import ConfirmScreen
    from opsgate.tui.screens.dead_letters import DeadLettersScreen

    app = make_app(store_path, start="deadletters", actor="oli")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadLettersScreen)
        chosen = sorted(screen.letters)[:2]
        table = screen.query_one("#letters", DataTable)
        for did in chosen:
            table.move_cursor(row=table.get_row_index(str(did)))
            await pilot.press("space")
        await pilot.press("R")
        await settle(pilot, waiting_for_dialog=True)

        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert all("would re-queue" in line for line in dialog.body_lines)
        await pilot.click("#confirm")
        await settle(pilot)
        assert app.screen is screen
        assert not set(chosen) & set(screen.letters)

    with session_scope(create_store_engine(f"sqlite:///{store_path}")) as session:
        for did in chosen:
            dead = session.get(DeadLetter, did)
            assert dead.replay_count == 1
            delivery = session.get(Delivery, dead.delivery_id)
            assert delivery.status == DeliveryStatus.PENDING


async def test_readonly_mode_offers_dry_run_but_no_replay(store_path):
    app = make_app(store_path, start="deadletters", readonly=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        actions = [b.binding.action for b in app.screen.active_bindings.values()]

    assert "dry_run" in actions
    assert "replay" not in actions


class _Answer:
    def __init__(self, text, citations):
        self.text = text
        self.citations = citations


async def test_chat_pane_shows_the_answer_and_what_it_cites(store_path):
    from textual.widgets import RichLog

    asked = []

    def ask(question):
        asked.append(question)
        return _Answer("Incident 19 holds 125,000 EUR.", ["incident:19"])

    app = make_app(store_path, start="chat")
    app.ctx.ask = ask
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"what costs most", "enter")
        await settle(pilot)
        lines = [str(line.text) for line in app.screen.query_one("#log", RichLog).lines]

    assert asked == ["what costs most"]
    assert any("incident:19" in line for line in lines)


async def test_a_failing_chat_backend_is_reported_and_the_app_lives_on(store_path):
    asked = []

    def ask(question):
        asked.append(question)
        raise ValueError("The chat model is unreachable.")

    app = make_app(store_path, start="chat")
    app.ctx.ask = ask
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"hello", "enter")
        await settle(pilot)
        await pilot.press(*"again", "enter")
        await settle(pilot)

        assert app.is_running
    assert asked == ["hello", "again"]


async def test_incident_memory_can_stand_in_for_similar_incidents(store_path):
    app = make_app(store_path, start="incidents")
    app.ctx.similar = lambda incident_id: [f"#{incident_id - 1} fixed by a mapping"]
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

        similar = str(app.screen.query_one("#similar", Static).render())
    assert "fixed by a mapping" in similar


async def test_drill_down_names_the_open_tickets_about_the_incident(store_path):
    from sqlmodel import Session, col, select

    from opsgate.rules.store.db import create_store_engine
    from opsgate.rules.store.tables import Incident
    from tests.rules.support.desk_events import deliver, jira_issue

    engine = create_store_engine(f"sqlite:///{store_path}")
    with Session(engine) as session:
        top = session.exec(
            select(Incident)
            .where(col(Incident.customer).is_not(None))
            .order_by(col(Incident.impact_score).desc())
        ).first()
    deliver(engine, "jira", jira_issue(organisation=top.customer))
    engine.dispose()
    app = make_app(store_path, start="incidents")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

        summary = str(app.screen.query_one("#summary", Static).render())
        assert app.screen.title == f"Incident {top.id}"
        assert "1 open support ticket: jira:TES-41" in summary


async def test_escape_leaves_the_question_so_q_quits(store_path):
    from textual.widgets import Input

    app = make_app(store_path, start="chat")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"quiet question")
        typed = app.screen.query_one("#question", Input).value
        await pilot.press("escape", "q")
        await settle(pilot)

        still_running = app.is_running

    assert typed == "quiet question"
    assert not still_running
