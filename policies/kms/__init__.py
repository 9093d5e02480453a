"""Rules for KMS keys and the policies that use them."""
