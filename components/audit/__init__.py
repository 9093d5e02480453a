"""Audit: a trail nobody can alter, and the locked bucket that keeps it."""
