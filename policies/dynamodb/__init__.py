"""Rules for DynamoDB tables."""
