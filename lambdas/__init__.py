"""Lambda handlers that run promotions, canary checks, rollbacks and drift detection.

Each handler lives in its own module and is packaged with the component that deploys it.
"""
