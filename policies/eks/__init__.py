"""Rules for EKS clusters and node groups."""
