"""Rules for EventBridge rules."""
