"""Starts a model's delivery pipeline once for each model package approved in the registry."""
