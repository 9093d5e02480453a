"""The bake function."""
