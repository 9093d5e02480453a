"""The ledger function."""
