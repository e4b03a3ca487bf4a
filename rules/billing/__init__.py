"""The billing read model: timesheets, contract terms, invoices and payments as facts.

    BillingFacts
     ├── TimesheetLines   (columnar arrays, one row per time entry)
     ├── ProjectTerms     (per project: billing type, rate, weekend rule)
     ├── InvoiceFact ──< InvoiceLineFact
     └── PaymentFact

Built from the store's canonical objects (`load_billing_facts`) or from
canonical objects in memory (`build_billing_facts`), so checks and models run
on plain arrays whatever the source.
"""
