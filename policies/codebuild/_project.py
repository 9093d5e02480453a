"""The CodeBuild project type token."""

PROJECT = "aws:codebuild/project:Project"
