"""Drift detection for a SageMaker endpoint: capture reading, reference profiles, KS and PSI."""
