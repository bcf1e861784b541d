using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Slack;

// Slack's Events API JSON, with only the fields we read; everything else is skipped by the serializer.
// These shapes stay inside this project so no other project depends on Slack's wire format.

/// <summary>The outer request: <c>url_verification</c>, <c>event_callback</c> or a type we ignore.</summary>
/// <param name="Event">Kept raw: its shape depends on its type, and an event we don't handle must not fail parsing.</param>
internal sealed record EnvelopeWire(
    string? Type,
    string? Challenge,
    string? TeamId,
    string? ApiAppId,
    string? EventId,
    JsonElement Event,
    IReadOnlyList<AuthorizationWire>? Authorizations);

/// <summary>One installation the event is visible to; for a bot install, <c>user_id</c> is our bot user.</summary>
internal sealed record AuthorizationWire(string? UserId, bool IsBot);

/// <summary>The inner event of the types we handle: <c>message</c>, <c>app_mention</c>, <c>app_home_opened</c>, <c>tokens_revoked</c>.</summary>
internal sealed record EventWire(
    string? Type,
    string? Subtype,
    string? ChannelType,
    string? Channel,
    string? User,
    string? BotId,
    string? Text,
    string? Ts,
    string? ThreadTs,
    string? Tab,
    TokensWire? Tokens);

internal sealed record TokensWire(IReadOnlyList<string>? Oauth, IReadOnlyList<string>? Bot);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EnvelopeWire))]
[JsonSerializable(typeof(EventWire))]
internal sealed partial class SlackJsonContext : JsonSerializerContext;
