"""Rules for Step Functions state machines."""
