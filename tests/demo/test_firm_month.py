from opsgate.demo.firm import build_firm_month, toggl_entries
from opsgate.demo.inputs import (
    HARVEST_COLUMNS,
    bamboohr_notifications,
    harvest_detailed_export,
    hubspot_closed_won_notifications,
    toggl_detailed_export,
    toggl_webhooks,
)


def test_same_seed_gives_the_same_month_and_another_seed_another():
    assert build_firm_month(7) == build_firm_month(7)
    assert build_firm_month(7) != build_firm_month(8)


def test_month_has_forty_consultants_all_staffed_and_every_fault_planned():
    month = build_firm_month(7)
    staffed = {key for deal in month.deals for key in deal.staff}

    assert len(month.consultants) == 40
    assert staffed == {c.key for c in month.consultants}
    assert {f.name for f in month.faults} >= {
        "missing_legal_entity_mapping",
        "duplicate_webhook",
        "odoo_rate_limited",
        "time_after_termination",
        "renamed_field",
    }


def test_harvest_export_has_the_real_header_and_one_row_per_entry():
    month = build_firm_month(7)
    lines = harvest_detailed_export(month, moved_to_toggl=False).splitlines()

    assert lines[0] == ",".join(HARVEST_COLUMNS)
    assert len(lines) == len(month.entries) + 1


def test_the_toggl_teams_last_week_is_in_toggl_not_in_harvest():
    month = build_firm_month(7)
    week = toggl_entries(month)
    harvest = harvest_detailed_export(month).splitlines()
    toggl = toggl_detailed_export(month).splitlines()
    webhooks = toggl_webhooks(month)

    assert week
    assert len(harvest) == len(month.entries) - len(week) + 1
    assert len(toggl) == len(week) + 1
    assert len(webhooks) == len(week)
    assert len({n.body for n in webhooks}) == len(week)


def test_hubspot_notifications_are_minified_arrays_with_one_redelivery():
    month = build_firm_month(7)
    bodies = [n.body for n in hubspot_closed_won_notifications(month)]

    assert all(body.startswith(b"[{") and b" " not in body for body in bodies)
    assert len(bodies) == len(month.deals) + 1


def test_every_consultant_is_announced_and_each_leaver_updated():
    month = build_firm_month(7)
    leavers = [c for c in month.consultants if c.termination_date]

    assert len(bamboohr_notifications(month)) == len(month.consultants) + len(leavers)
