"""Every peer sample, parsed by its connector, through its catalog entry."""

import json

import pytest

from opsgate.connectors.bamboohr import events as bamboohr
from opsgate.connectors.hubspot import events as hubspot
from opsgate.connectors.jira import events as jira
from opsgate.connectors.salesforce import change_events, outbound_message
from opsgate.connectors.stripe import events as stripe
from opsgate.connectors.timesheet_export.importer import open_export
from opsgate.connectors.zendesk import events as zendesk
from opsgate.rules.accept.prepare import Prepared, prepare
from opsgate.rules.routing.decision import Ignored, Rejected, Routed, decide
from opsgate.rules.routing.ownership import SystemsOfRecord


def _decide(catalog, source, body):
    entry = catalog.get(source)
    prepared = prepare(entry, body=body, headers={}, message_id=None)
    assert isinstance(prepared, Prepared), prepared
    decision = decide(
        catalog,
        SystemsOfRecord(),
        event_id="e1",
        source=source,
        event_type=prepared.type,
        subject=prepared.subject,
        raw_body=body,
    )
    return prepared, decision


def test_hubspot_closedwon_redelivery_becomes_a_won_contract(catalog, samples):
    body = (
        samples / "webhooks" / "hubspot-deal-propertychange-closedwon-retry.json"
    ).read_bytes()
    (record,) = hubspot.parse(body)

    prepared, decision = _decide(catalog, "hubspot", record.to_body())

    assert prepared.source_event_id == record.source_event_id
    assert isinstance(decision, Routed)
    assert decision.type == "opsgate.contract.won"
    assert decision.workflow == "lead-to-project"
    assert decision.data["won"] is True and decision.data["source_key"] == "900000003"


def test_hubspot_contact_creation_is_kept_but_goes_nowhere(catalog, samples):
    body = (
        samples / "webhooks" / "hubspot-contact-creation-v1-signed.json"
    ).read_bytes()
    (record,) = hubspot.parse(body)

    _, decision = _decide(catalog, "hubspot", record.to_body())

    assert isinstance(decision, Ignored)


def test_salesforce_outbound_account_becomes_a_customer(catalog, samples):
    body = (
        samples / "webhooks" / "salesforce-outbound-message-account.xml"
    ).read_bytes()
    (record,) = outbound_message.parse(body)

    prepared, decision = _decide(catalog, "salesforce", record.to_body())

    assert prepared.source_event_id == "04l000000000001AAA"
    assert isinstance(decision, Routed)
    assert decision.data["name"] == "Fictional Outfitters Inc."


def test_salesforce_cdc_account_update_is_kept_without_mapping(catalog, samples):
    body = (
        samples / "webhooks" / "salesforce-cdc-account-update-pubsub.json"
    ).read_bytes()
    (record,) = change_events.parse(body)

    _, decision = _decide(catalog, "salesforce", record.to_body())

    assert isinstance(decision, Ignored)


def test_salesforce_opportunity_closed_won_becomes_a_won_contract(catalog, samples):
    event = json.loads(
        (samples / "webhooks" / "salesforce-cdc-account-update-pubsub.json").read_text()
    )
    header = {
        **event["payload"]["ChangeEventHeader"],
        "entityName": "Opportunity",
        "recordIds": ["006000000000001AAA"],
        "changedFields": ["StageName", "IsWon", "Amount"],
    }
    payload = {
        "ChangeEventHeader": header,
        "StageName": "Closed Won",
        "IsWon": True,
        "Amount": 120000.0,
    }
    (record,) = change_events.parse(json.dumps({"payload": payload}).encode())

    _, decision = _decide(catalog, "salesforce", record.to_body())

    assert isinstance(decision, Routed)
    assert decision.data["stage"] == "Closed Won"
    assert decision.data["amount"] == "120000.0"


OPPORTUNITY = """<sObject xmlns:sf="urn:sobject.enterprise.soap.sforce.com" \
xsi:type="sf:Opportunity">
     <sf:Id>006000000000001AAA</sf:Id>
     <sf:AccountId>001000000000002AAA</sf:AccountId>
     <sf:Account_Name__c>Fictional Outfitters Inc.</sf:Account_Name__c>
     <sf:Amount>120000.00</sf:Amount>
     <sf:Billing_Type__c>Time and Materials</sf:Billing_Type__c>
     <sf:CloseDate>2026-11-20</sf:CloseDate>
     <sf:CurrencyIsoCode>usd</sf:CurrencyIsoCode>
     <sf:IsWon>true</sf:IsWon>
     <sf:Legal_Entity__c>Opsgate Consulting LLC</sf:Legal_Entity__c>
     <sf:Name>Fictional Outfitters - ERP rollout</sf:Name>
     <sf:SOW_Signed__c>true</sf:SOW_Signed__c>
     <sf:StageName>Closed Won</sf:StageName>
     <sf:Start_Date__c>2026-12-01</sf:Start_Date__c>
    </sObject>"""


def test_salesforce_outbound_message_for_a_won_opportunity_starts_lead_to_project(
    catalog, samples
):
    account = (
        samples / "webhooks" / "salesforce-outbound-message-account.xml"
    ).read_text()
    start = account.index("<sObject")
    end = account.index("</sObject>") + len("</sObject>")
    body = (account[:start] + OPPORTUNITY + account[end:]).encode()
    (record,) = outbound_message.parse(body)

    _, decision = _decide(catalog, "salesforce", record.to_body())

    assert isinstance(decision, Routed)
    assert decision.type == "opsgate.contract.won"
    assert decision.data["customer_name"] == "Fictional Outfitters Inc."
    assert decision.data["billing_type"] == "time_and_materials"
    assert decision.data["currency"] == "USD"
    assert decision.data["sow_signed"] is True
    assert decision.data["start_date"] == "2026-12-01"
    assert [(d.target, d.operation) for d in decision.deliveries] == [
        ("odoo", "lead_to_project")
    ]


def test_bamboohr_thin_event_routes_to_reading_the_employee_back(catalog, samples):
    body = (
        samples / "webhooks" / "bamboohr-employee-updated-event-based.json"
    ).read_bytes()
    (record,) = bamboohr.parse(body)

    _, decision = _decide(catalog, "bamboohr", record.to_body())

    assert isinstance(decision, Routed)
    assert decision.type == "opsgate.consultant.notified"
    assert [(d.target, d.operation) for d in decision.deliveries] == [
        ("bamboohr", "enrich:employee")
    ]


def test_bamboohr_field_based_termination_becomes_a_terminated_consultant(catalog):
    body = json.dumps(
        {
            "employees": [
                {
                    "id": "7",
                    "action": "Updated",
                    "changedFields": ["Status"],
                    "fields": {
                        "First Name": "Ana",
                        "Last Name": "Lima",
                        "Status": "Inactive",
                        "Work Email": "ana@firm.example",
                        "Termination Date": "2026-02-28",
                    },
                }
            ]
        }
    ).encode()
    (record,) = bamboohr.parse(body)

    _, decision = _decide(catalog, "bamboohr", record.to_body())

    assert isinstance(decision, Routed)
    assert decision.data["name"] == "Ana Lima"
    assert decision.data["status"] == "terminated"
    assert decision.data["termination_date"] == "2026-02-28"


@pytest.mark.parametrize(
    ("source", "name", "parse"),
    [
        ("jira", "jira-cloud-issue-updated-resolved.json", jira.parse),
        ("zendesk", "zendesk-user-active-changed.json", zendesk.parse),
    ],
)
def test_support_desk_events_inform_impact_and_write_nothing(
    catalog, samples, source, name, parse
):
    (record,) = parse((samples / "webhooks" / name).read_bytes())

    prepared, decision = _decide(catalog, source, record.to_body())

    assert prepared.source_event_id == record.source_event_id
    assert isinstance(decision, Ignored)


def test_stripe_sample_maps_through_the_shipped_stripe_entry(catalog, samples):
    body = (
        samples / "webhooks" / "stripe-invoice-payment-succeeded-live-basil.json"
    ).read_bytes()
    stripe.parse(body)

    _, decision = _decide(catalog, "stripe", body)

    assert isinstance(decision, Routed)
    assert decision.data["amount"] == "29.9"


@pytest.mark.parametrize(
    "name",
    [
        "harvest_detailed_2025_usd_no-hours-rounded.csv",
        "toggl_detailed_2018_bom_amount-empty_nb.csv",
        "toggl_detailed_2019_bom_client-with-comma.csv",
        "toggl_detailed_2024_bom_all-quoted_no-amount.csv",
        "clockify_detailed_2023_ddmmyyyy_quoted.csv",
        "clockify_detailed_2024_type-invoiced-columns_ampm.csv",
    ],
)
def test_every_timesheet_sample_row_maps_to_a_valid_timesheet(catalog, samples, name):
    reading = open_export(samples / "timesheets" / name)
    decisions = [
        _decide(catalog, reading.source, r.to_body())[1] for r in reading.rows()
    ]

    assert decisions
    assert not [d for d in decisions if isinstance(d, Rejected)], [
        d.message for d in decisions if isinstance(d, Rejected)
    ]


def test_unapproved_harvest_time_is_kept_and_not_sent(catalog, samples):
    reading = open_export(
        samples / "timesheets" / "harvest_detailed_2025_usd_no-hours-rounded.csv"
    )
    record = next(iter(reading.rows()))

    _, decision = _decide(catalog, "harvest", record.to_body())

    assert record.fields["approved"] is False
    assert isinstance(decision, Ignored)


def test_toggl_time_without_approval_column_goes_to_odoo(catalog, samples):
    reading = open_export(
        samples / "timesheets" / "toggl_detailed_2019_bom_client-with-comma.csv"
    )
    record = next(iter(reading.rows()))

    _, decision = _decide(catalog, "toggl", record.to_body())

    assert isinstance(decision, Routed)
    assert decision.deliveries[0].operation == "upsert:account.analytic.line"
    assert decision.data["customer_name"] == "Iyer, Vikram"
    assert decision.data["hours"] == "2.0000"
