"""Rules for Kubernetes objects and Helm releases deployed into the platform's clusters."""
