"""Adding a source: suggest rows from its text, accept them, check the data."""
