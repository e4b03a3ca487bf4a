"""Support desk: tickets that inform the business impact of incidents.

Jira Cloud and Zendesk events are accepted and stored like any other event;
they map to no canonical object and route nowhere, and nothing is ever
written back to the desk, to Odoo or to any peer. What they do is weigh on
incidents:

    tickets     read a ticket (key, open or not, priority, values) from an event
    matching    which customers and projects those values name
    tracking    keep each ticket's state; re-score the incidents it names

An open ticket that names an incident's customer or project raises that
incident's impact score (`rules/incidents/impact.py`, `ticket_boost`) and is
listed on it (`context.open_tickets`); once the ticket is resolved, closed or
deleted it stops counting.
"""
