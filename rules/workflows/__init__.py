"""Workflows: named, versioned rule sets over the event path.

    lead-to-project        closed-won deal → customer, sale order, project, staffing task
    staffing-to-delivery   HR employee records → hr.employee; consultants onto projects
    time-to-billing        approved time → account.analytic.line on project, task, employee
    contract-to-cash       posted invoices and payments from Odoo → CRM account status

A workflow may hold an event until its controls pass; a failed control opens an
incident that names it.
"""
