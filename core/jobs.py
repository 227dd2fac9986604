"""Slow work (OCR, model turns, platform calls) behind one small interface.

Adapters and the core submit named jobs with JSON-able payloads; the in-process runner
executes them as asyncio tasks, and a Redis-backed queue can replace it without either side
changing. Jobs with the same `key` (one conversation) run one after another, in order.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Protocol

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[Any]]


class JobQueue(Protocol):
    def register(self, name: str, handler: Handler) -> None: ...

    async def submit(self, name: str, payload: dict[str, Any], *, key: str | None = None) -> None: ...

    async def drain(self, timeout: float | None = None) -> bool: ...

    @property
    def depth(self) -> int: ...


class InProcessJobs:
    def __init__(self, *, concurrency: int = 32) -> None:
        self._handlers: dict[str, Handler] = {}
        self._tails: dict[str, asyncio.Future[Any]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(concurrency)
        self.closed = False

    def register(self, name: str, handler: Handler) -> None:
        self._handlers[name] = handler

    @property
    def depth(self) -> int:
        return len(self._tasks)

    async def submit(self, name: str, payload: dict[str, Any], *, key: str | None = None) -> None:
        if self.closed:
            raise RuntimeError("the job queue is shutting down")
        handler = self._handlers[name]  # KeyError for an unregistered job: a programming error
        previous = self._tails.get(key) if key else None
        task = asyncio.create_task(self._run(name, handler, payload, previous))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if key:
            self._tails[key] = task
            task.add_done_callback(lambda t, k=key: self._tails.pop(k, None) if self._tails.get(k) is t else None)

    async def _run(self, name: str, handler: Handler, payload: dict[str, Any], previous: asyncio.Future[Any] | None) -> Any:
        if previous is not None:
            try:
                await asyncio.shield(previous)
            except BaseException:  # the previous job's failure is its own; order is what matters here
                pass
        async with self._slots:
            try:
                return await handler(payload)
            except Exception:
                log.exception("job %s failed", name)
                return None

    async def drain(self, timeout: float | None = None) -> bool:
        """Stop taking jobs and wait for those in flight; False when the timeout cut them short."""
        self.closed = True
        if not self._tasks:
            return True
        done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        return not pending
