"""The store: SQLModel tables over SQLite (embedded default) or PostgreSQL."""
