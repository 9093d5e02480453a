"""The release function."""
