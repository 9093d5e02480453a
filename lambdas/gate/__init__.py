"""The gate function."""
