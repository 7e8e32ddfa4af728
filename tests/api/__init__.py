"""API client tests."""
