"""Rules for CodePipeline pipelines."""
