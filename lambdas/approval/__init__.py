"""Reads the pipeline approval a promotion names (approver and comment) from CodePipeline."""
