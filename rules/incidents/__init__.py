"""Incidents: failures a person must know about, ranked by business impact."""
