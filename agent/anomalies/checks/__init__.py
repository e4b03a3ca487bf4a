"""The plain checks: each names one kind of anomaly and explains it with numbers."""
