"""Where discord.py talks to: Discord itself by default, or DISCORD_API_URL / DISCORD_GATEWAY_URL.

discord.py reads `Route.BASE` each time it builds a request and `DiscordWebSocket.DEFAULT_GATEWAY`
when it connects, so setting both points the unmodified library at a proxy, a regional
endpoint or a local fake. They are process-wide, like the process's one Discord application.
"""

from __future__ import annotations

import discord.gateway
import discord.http
import yarl


def point_at(api_url: str, gateway_url: str | None = None) -> None:
    discord.http.Route.BASE = api_url.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
