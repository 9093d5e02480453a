"""The mlops-platform policy pack: CrossGuard rules for every resource the platform creates.

One rule per module, grouped by service (`policies/s3/encryption.py`); `policies.pack` lists
them all and `policies/__main__.py` serves them to the Pulumi engine.
"""
