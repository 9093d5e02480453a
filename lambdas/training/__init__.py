"""The training function."""
