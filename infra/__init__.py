"""The mlops-platform program: reads a stack's config and composes the components."""
