"""Rule-table rows (filled in by the next commits of issue 11)."""
