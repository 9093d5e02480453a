"""The ECR repository type token."""

REPOSITORY = "aws:ecr/repository:Repository"
