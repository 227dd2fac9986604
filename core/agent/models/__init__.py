"""The models that drive the agent: the built-in offline model, and language models from a model string.

Vendor SDKs stay behind this package; the rest of the agent sees pydantic-ai `Model`s only.
"""
