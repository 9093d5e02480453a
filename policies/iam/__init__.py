"""Rules for IAM roles and policies."""
