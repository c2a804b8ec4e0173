"""Helpers shared by the test modules (imported as `helpers.app`, never from a test file)."""
