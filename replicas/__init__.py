"""Offline replicas of the portals: a server answering for the real hosts, and their data."""
