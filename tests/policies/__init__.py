"""Tests of the policy pack, mirroring policies/."""
