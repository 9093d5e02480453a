"""Rules for SageMaker models, endpoint configurations and endpoints."""
