"""Language models from a model string (`SAKE_SENSEI_MODEL`), made patient and bounded.

`build_llm("openai:gpt-4o-mini")` gives a pydantic-ai model (keys come from the provider's usual
environment variables) wrapped so that each request has a timeout and is retried with
exponential backoff on 429 and 5xx (and on timeouts and dropped connections). When it still
fails, the exception reaches the brain, which answers with the offline model (SS-003).
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Awaitable, Callable

from pydantic_ai.exceptions import ModelAPIError, ModelConnectionError, ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import Model, ModelRequestParameters, infer_model
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
_SDK_RETRYING = frozenset({"openai", "anthropic", "groq"})  # SDK clients that retry on their own unless told not to


class ModelTimeout(ModelAPIError):
    """One model request took longer than the configured timeout (after the retries)."""

    def __init__(self, model_name: str, seconds: float) -> None:
        super().__init__(model_name, f"no answer within {seconds:g} s")


def retryable(error: BaseException) -> bool:
    """429 and 5xx answers, timeouts and dropped connections are worth another try; 4xx are not."""
    if isinstance(error, ModelHTTPError):
        return error.status_code == 429 or error.status_code >= 500
    return isinstance(error, (ModelConnectionError, asyncio.TimeoutError, TimeoutError))


class ResilientModel(WrapperModel):
    """A model with a per-request timeout and retries with exponential backoff (and jitter)."""

    def __init__(
        self,
        wrapped: Model,
        *,
        timeout: float = 20.0,
        retries: int = 2,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(wrapped)
        self.timeout = timeout
        self.retries = retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.sleep = sleep
        self.jitter = jitter
        self.attempts = 0  # requests sent, retries included (for logs and tests)

    def delay(self, attempt: int, error: BaseException) -> float:
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, (int, float)) and retry_after > 0:
            return min(float(retry_after), self.max_delay)
        return min(self.base_delay * 2**attempt, self.max_delay) * (0.5 + self.jitter() / 2)

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        if self.wrapped.system in _SDK_RETRYING:  # one retry policy, ours: the SDK's own retries would multiply it
            model_settings = {**(model_settings or {}), "max_retries": 0}  # type: ignore[typeddict-item]
        for attempt in range(self.retries + 1):
            self.attempts += 1
            try:
                return await asyncio.wait_for(self.wrapped.request(messages, model_settings, model_request_parameters), self.timeout)
            except Exception as e:
                error: BaseException = e
                if isinstance(e, (asyncio.TimeoutError, TimeoutError)) and not isinstance(e, ModelAPIError):
                    error = ModelTimeout(self.model_name, self.timeout)
                if attempt >= self.retries or not retryable(e):
                    if error is not e:
                        raise error from e
                    raise
                wait = self.delay(attempt, e)
                log.warning("model request failed (%s), retry %d in %.1fs", type(e).__name__, attempt + 1, wait)
                await self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover


def build_llm(model: str | Model, **options: float) -> ResilientModel:
    """A pydantic-ai model from a model string such as `openai:gpt-4o-mini` or `anthropic:claude-...`.

    An OpenAI-compatible local server works through the OpenAI provider's usual variables
    (`OPENAI_BASE_URL`, `OPENAI_API_KEY`). Unknown providers or missing SDKs raise here, at start-up.
    """
    wrapped = model if isinstance(model, Model) else infer_model(model)
    return ResilientModel(wrapped, **options)  # type: ignore[arg-type]


def supports_images(model: Model) -> bool:
    """Whether label photos may be sent to this model as images (its profile says it reads them)."""
    try:
        profile = model.profile
    except Exception:
        return False
    value = profile.get("supports_image_input") if isinstance(profile, dict) else getattr(profile, "supports_image_input", False)
    return bool(value)
