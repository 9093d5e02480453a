"""Rules for SNS topics."""
