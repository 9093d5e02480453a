"""Delivery: pipelines that take a model version from the registry through staging to prod."""
