"""File imports: stream parsed records into the store, keep every bad row."""
