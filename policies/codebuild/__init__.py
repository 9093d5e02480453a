"""Rules for CodeBuild projects."""
