"""Triage evals: labelled incidents, their builder, and the scoring harness."""
