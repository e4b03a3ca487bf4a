"""Incident memory: similar past incidents and how they were resolved (ChromaDB)."""
