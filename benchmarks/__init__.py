"""Performance benchmarks: our polars analytics against pandas and DuckDB, on seeded simulated data."""
