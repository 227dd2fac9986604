"""Platform adapters: each turns one platform's events into core messages and renders replies."""
