"""Employee roster CSV: the HR system's export, one row per employee."""
