using System.Text.Json;

namespace CoachBot.Slack;

/// <summary>Turns a verified Events API body into a <see cref="SlackEvent"/>.</summary>
/// <remarks>
/// Call only after <see cref="SlackSignatureVerifier"/> said <see cref="SlackSignatureResult.Valid"/>,
/// on the same bytes. Never throws for bad input: malformed JSON gives <see cref="SlackEvent.Malformed"/>.
/// </remarks>
public static class SlackEventParser
{
    /// <summary>
    /// The bot events the app subscribes to, as the manifest spells them; each one parses to a case the host acts on.
    /// <c>message.im</c> is the <c>message</c> event in a DM (messages in channels are only coached when they mention the bot).
    /// </summary>
    public static readonly IReadOnlyList<string> SubscribedEvents = ["app_home_opened", "app_mention", "message.im", "app_uninstalled", "tokens_revoked"];

    /// <param name="botUserId">
    /// Our bot user for this workspace, when the caller knows it. The envelope's bot authorizations
    /// are checked as well, so the bot's own messages are ignored even without it.
    /// </param>
    public static SlackEvent Parse(ReadOnlySpan<byte> body, string? botUserId = null)
    {
        EnvelopeWire? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body, SlackJsonContext.Default.EnvelopeWire);
        }
        catch (JsonException)
        {
            // The exception message can quote bytes of the body; the reason must stay safe to log.
            return new SlackEvent.Malformed("body is not a JSON object of the expected shape");
        }

        return envelope switch
        {
            null => new SlackEvent.Malformed("body is JSON null"),
            { Type: null } => new SlackEvent.Malformed("envelope has no type"),
            { Type: "url_verification", Challenge: { Length: > 0 } challenge } => new SlackEvent.UrlVerification(challenge),
            { Type: "url_verification" } => new SlackEvent.Malformed("url_verification without a challenge"),
            { Type: "event_callback" } => EventCallback(envelope, botUserId),
            // app_rate_limited and anything Slack adds later: acknowledged, not acted on.
            _ => new SlackEvent.Ignored($"envelope type {Bounded(envelope.Type)} is not handled"),
        };
    }

    private static SlackEvent EventCallback(EnvelopeWire envelope, string? botUserId)
    {
        if (envelope.Event.ValueKind != JsonValueKind.Object
            || !envelope.Event.TryGetProperty("type", out var typeProperty)
            || typeProperty.ValueKind != JsonValueKind.String)
        {
            return new SlackEvent.Malformed("event_callback without an inner event type");
        }

        // An event we don't act on is acknowledged whatever its envelope holds: a 400 would only make Slack retry it.
        var type = typeProperty.GetString();
        if (type is not ("message" or "app_mention" or "app_home_opened" or "app_uninstalled" or "tokens_revoked"))
        {
            // member_joined_channel and whatever Slack adds next: acknowledged, not acted on.
            return new SlackEvent.Ignored($"event type {Bounded(type)} is not handled");
        }

        if (string.IsNullOrEmpty(envelope.EventId) || string.IsNullOrEmpty(envelope.TeamId) || string.IsNullOrEmpty(envelope.ApiAppId))
        {
            // Without event_id there is nothing to dedupe retries on, so don't accept the delivery.
            return new SlackEvent.Malformed("event_callback without event_id, team_id or api_app_id");
        }

        var delivery = new EventDelivery(envelope.EventId, envelope.TeamId, envelope.ApiAppId);
        var isSelf = IsSelf(envelope, botUserId);
        return type switch
        {
            "message" => Read(envelope.Event, type, e => Message(delivery, e, isSelf, isMention: false)),
            "app_mention" => Read(envelope.Event, type, e => Message(delivery, e, isSelf, isMention: true)),
            "app_home_opened" => Read(envelope.Event, type, e => HomeOpened(delivery, e)),
            "app_uninstalled" => new SlackEvent.AppUninstalled(delivery),
            _ => Read(envelope.Event, type, e => new SlackEvent.TokensRevoked(delivery, e.Tokens?.Oauth ?? [], e.Tokens?.Bot ?? [])),
        };
    }

    // Only the types we handle are read into EventWire: an unknown event may use our field names with other
    // shapes (user_change has an object "user"), and that must give Ignored, not a 400 that Slack retries.
    private static SlackEvent Read(JsonElement element, string type, Func<EventWire, SlackEvent> then)
    {
        EventWire? inner;
        try
        {
            inner = element.Deserialize(SlackJsonContext.Default.EventWire);
        }
        catch (JsonException)
        {
            return new SlackEvent.Malformed($"{type} event has fields of the wrong shape");
        }

        // An object never deserializes to null; the check keeps the compiler honest.
        return inner is null ? new SlackEvent.Malformed($"{type} event is null") : then(inner);
    }

    private static SlackEvent HomeOpened(EventDelivery delivery, EventWire opened) =>
        string.IsNullOrEmpty(opened.User) || string.IsNullOrEmpty(opened.Channel)
            ? new SlackEvent.Ignored("app_home_opened without user or channel")
            : new SlackEvent.AppHomeOpened(delivery, opened.User, opened.Channel, opened.Tab ?? "home");

    private static SlackEvent Message(EventDelivery delivery, EventWire message, Func<string, bool> isSelf, bool isMention)
    {
        // Order matters only for the reason given; every one of these is a message we must not coach,
        // and the bot checks come first because replying to a bot (or ourselves) can loop.
        if (!string.IsNullOrEmpty(message.BotId) || message.Subtype == "bot_message")
        {
            return new SlackEvent.Ignored($"{message.Type} from a bot");
        }

        if (message.Subtype == "message_changed")
        {
            return new SlackEvent.Ignored($"{message.Type} edit (message_changed)");
        }

        if (message.Subtype is not null)
        {
            return new SlackEvent.Ignored($"{message.Type} subtype {message.Subtype} is not handled");
        }

        if (string.IsNullOrEmpty(message.User) || string.IsNullOrEmpty(message.Channel) || string.IsNullOrEmpty(message.Ts))
        {
            return new SlackEvent.Ignored($"{message.Type} without user, channel or ts");
        }

        if (isSelf(message.User))
        {
            return new SlackEvent.Ignored($"{message.Type} from the bot itself");
        }

        // Mentions arrive as app_mention; a message.* event outside a DM would answer the same text twice.
        if (!isMention && message.ChannelType != "im")
        {
            return new SlackEvent.Ignored($"message in channel_type {message.ChannelType ?? "(none)"}; only direct messages are coached");
        }

        var incoming = new IncomingMessage(delivery.Team, message.Channel, message.User, message.Ts, message.ThreadTs, message.Text ?? "");
        return new SlackEvent.MessageReceived(delivery, incoming, isMention);
    }

    // Types come from the body: bound what they can write into a log line.
    private static string Bounded(string? type) => type is null ? "(none)" : type.Length > 40 ? type[..40] + "…" : type;

    private static Func<string, bool> IsSelf(EnvelopeWire envelope, string? botUserId) => user =>
        string.Equals(user, botUserId, StringComparison.Ordinal)
        || (envelope.Authorizations ?? []).Any(a => a.IsBot && string.Equals(a.UserId, user, StringComparison.Ordinal));
}
