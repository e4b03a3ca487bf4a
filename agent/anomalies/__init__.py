"""Billing anomalies: plain checks and an unsupervised model over the billing facts.

    detect(facts, settings) -> list[Flag]
     ├── checks.hours      day over ceiling, spikes per consultant and project,
     │                     weekend and holiday time
     ├── checks.rates      rates that disagree with the contract or order line
     ├── checks.duplicates duplicated and near-duplicated lines
     ├── checks.invoices   billing type, invoices against timesheets, unbilled time
     ├── checks.payments   payments matching no invoice or paying one twice
     └── model             IsolationForest over consultant-days, for the rest

`raising.raise_flags` turns flags into incidents and proposals; `dismissal`
keeps dismissed flags from being raised again.
"""
