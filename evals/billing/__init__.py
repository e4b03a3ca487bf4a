"""The labelled billing data set and the harness behind `opsgate eval anomalies`."""
