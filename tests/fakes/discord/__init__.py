"""A fake Discord (REST API v10 + gateway on 127.0.0.1) for real discord.py clients.

A real, unmodified ``discord.Client`` / ``commands.Bot`` logs in, connects over the
websocket, receives READY + GUILD_CREATE, syncs application commands and answers
interactions, and every REST call it makes is recorded for assertions.

Usage (the most faithful path: REST + gateway, ~100 ms to ready)::

    async with FakeDiscord() as fake:
        bot = commands.Bot(command_prefix="!", intents=discord.Intents.default(),
                           guild_ready_timeout=0.05)   # default 2 s delays on_ready
        async with running_bot(fake, bot):
            payload = fake.interactions.slash("ping", subcommand("pong", option("text", "hi")),
                                              command_guild_id=fake.guild.guild_id)
            await fake.dispatch("INTERACTION_CREATE", payload)
            call = await fake.wait_for_request("POST", rf"/interactions/{payload['id']}/.+")
            assert call.json["type"] == 4

How a client is pointed at the fake: discord.py builds REST URLs from the class attribute
``discord.http.Route.BASE`` and (for a non-sharded ``Client``) connects the websocket to the
class attribute ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``; it does *not* call
``GET /gateway/bot`` unless it is an ``AutoShardedClient``. :func:`patched_discord_base`
sets both and restores them. The real bot reads the settings key ``discord.api_base`` (e.g.
``http://127.0.0.1:PORT/api/v10``) and does the same in its subprocess: set ``Route.BASE``
to it, then in ``setup_hook`` (after login, before connect) set ``DEFAULT_GATEWAY`` to the
``url`` returned by ``await bot.http.get_bot_gateway()`` (the fake answers with its own
websocket URL, ``ws://127.0.0.1:PORT/gateway``).

In-process path without the websocket (for CommandTree-only tests): :func:`logged_in_client`
logs in over REST only and puts the guilds in the client's cache; :func:`feed_interaction`
pushes an INTERACTION_CREATE through the real ``ConnectionState.parse_interaction_create``.
It skips the gateway framing only; prefer :func:`running_bot` + :meth:`FakeDiscord.dispatch`.

State tests can read: ``fake.requests`` (every REST call, see :class:`RecordedRequest`),
``fake.channel_messages(channel_id)``, ``fake.message(id)``, ``fake.threads()``,
``fake.commands(guild_id)``, ``fake.webhooks()``, ``fake.scheduled_events(guild_id)``,
``fake.interaction(interaction_id)``, ``fake.rate_limited_count``, ``fake.identify_payloads``.
Per-channel message rate limiting: :meth:`FakeDiscord.enable_channel_rate_limit`.

Behaviour copied from Discord that tests may notice: REST mutations are echoed over the
gateway (MESSAGE_CREATE/UPDATE/DELETE, THREAD_CREATE, MESSAGE_REACTION_ADD for the bot's
own reactions, ...) subject to the client's intents, and guild messages by others reach a
client without MESSAGE_CONTENT blanked unless they mention it; the deferred "thinking"
message is a real channel message that the first followup replaces; pinning posts a type-6
system notice; callbacks for unknown interactions get 404 (10062) and a second response
400 (40060); unimplemented endpoints answer 404 and show in ``fake.unrouted_requests``.

Modules: :mod:`.rig` (``FakeDiscord``, composed of the mixins in :mod:`.gateway`,
:mod:`.state`, :mod:`.rest_plumbing`, :mod:`.rest_app`, :mod:`.rest_webhooks`,
:mod:`.rest_messages` and :mod:`.rest_guilds`), :mod:`.wire` (constants, recorded requests),
:mod:`.clients` (``running_bot``, ``logged_in_client``, ``feed_interaction``,
``patched_discord_base``) and the payload builders :mod:`.payloads_core` (permissions,
snowflakes), :mod:`.payloads_guild`, :mod:`.payloads_messages` and
:mod:`.payloads_interactions`.

Payload builders return plain ``dict`` objects shaped like Discord API v10 payloads, so the
real discord.py parsers can consume them. Ids come from a ``Snowflakes`` instance (no
module-level counters), which keeps every test deterministic and independent.

Payload usage::

    ids = Snowflakes()
    guild = dev_guild(ids, bot_user=user(ids.next(), "LLMFed", bot=True))
    interactions = InteractionBuilder(ids, application_id=guild.bot["id"], guild=guild)
    payload = interactions.slash(
        "ping", subcommand("pong", option("text", "hi")), command_guild_id=guild.guild_id
    )
    await fake.dispatch("INTERACTION_CREATE", payload)

    vote = reaction_add(ids, guild=guild, message_id=123, user_id=guild.player["id"], emoji="🔥")
    await fake.dispatch("MESSAGE_REACTION_ADD", vote)

Interaction building blocks: :func:`option` (type inferred from the Python value: str -> 3,
bool -> 5, int -> 4, float -> 10), :func:`user_option` (6), :func:`channel_option` (7),
:func:`role_option` (8), :func:`subcommand` (1) and :func:`subcommand_group` (2). Options
referencing users, channels or roles carry their ``resolved`` entries, which
:class:`InteractionBuilder` merges into ``data.resolved`` like Discord does.
"""
