"""Workflows: the Step Functions state machines that train, gate, promote and roll back."""
