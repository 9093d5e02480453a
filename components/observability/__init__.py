"""Observability: dashboards, alarms and alerting for every model the platform serves."""
