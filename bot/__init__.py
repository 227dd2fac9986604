"""The process: configuration, wiring, the CLI and the aiohttp server."""

__version__ = "0.1.0"
