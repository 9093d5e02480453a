"""The lock function."""
