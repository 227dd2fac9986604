"""The pydantic-ai Agent: typed deps (who is asking), the sommelier instructions, and the tools the services allow."""

from __future__ import annotations

from typing import Any, Callable

from pydantic_ai import Agent, RunContext

from core.agent import tools as t
from core.agent.deps import Deps, Services
from core.agent.instructions import INSTRUCTIONS, turn_facts
from core.agent.knowledge_tools import KNOWLEDGE_TOOLS
from core.agent.restaurant_tools import restaurant_tools


def tools_for(services: Services) -> list[Callable[..., Any]]:
    """The core tools, plus those whose service this process has (recommender, profiles, label reader, restaurants)."""
    out = list(t.CORE_TOOLS)
    out += t.optional_tools(services)
    out += restaurant_tools(services)
    out += KNOWLEDGE_TOOLS  # explain: the knowledge base (issue #20)
    return out


def build_agent(services: Services) -> Agent[Deps, str]:
    def facts(ctx: RunContext[Deps]) -> str:
        return turn_facts(ctx.deps)

    return Agent(
        output_type=str,
        deps_type=Deps,
        instructions=[INSTRUCTIONS, facts],
        tools=tools_for(services),
        retries=1,
        name="sake-sensei",
    )
