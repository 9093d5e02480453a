"""Rules for S3 buckets: encryption, public access, TLS, versioning, ACLs."""
