"""Spiders: one module per discovery family. They discover URLs and yield ``RawPage`` items only."""
