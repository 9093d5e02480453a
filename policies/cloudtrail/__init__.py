"""Rules for CloudTrail trails."""
