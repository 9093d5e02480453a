"""Tooling of the mlops-platform project: offline preview and the `mlops` command."""
