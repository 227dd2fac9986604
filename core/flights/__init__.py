"""Sake flights (飲み比べ): a group tasting in one channel, from the picks to the reveal."""
