"""The verify function."""
