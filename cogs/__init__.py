"""Discord cogs: one per noun, thin (parse input, call one service, render an embed)."""
