"""Rules for CloudWatch alarms and log groups."""
