"""Rules for Application Auto Scaling."""
