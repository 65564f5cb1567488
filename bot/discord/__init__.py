"""The Discord front end: the bot, its command tree, transformers, permissions, views, embeds."""
