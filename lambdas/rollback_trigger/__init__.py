"""The rollback_trigger function."""
