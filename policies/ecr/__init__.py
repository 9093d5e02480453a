"""Rules for ECR repositories."""
