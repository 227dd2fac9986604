"""Sake Sensei's platform-neutral core: domain services, the agent and the database."""
