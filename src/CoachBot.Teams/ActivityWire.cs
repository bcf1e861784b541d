using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Teams;

// The Bot Framework activity as it arrives, cut down to the fields CoachBot reads. Unknown fields
// are skipped, so new ones Teams adds never break parsing. These types stay internal: the rest of
// the app sees TeamsActivity records, never the wire shape (the lesson of SlackNet#224).

internal sealed record ActivityWire(
    string? Type,
    string? Id,
    string? ServiceUrl,
    string? ChannelId,
    AccountWire? From,
    AccountWire? Recipient,
    ConversationWire? Conversation,
    string? Text,
    string? Name,
    string? Action,
    JsonElement? Value,
    IReadOnlyList<AccountWire>? MembersAdded,
    IReadOnlyList<EntityWire>? Entities,
    ChannelDataWire? ChannelData);

internal sealed record AccountWire(string? Id, string? Name, string? AadObjectId);

internal sealed record ConversationWire(string? Id, string? ConversationType, bool? IsGroup, string? TenantId);

internal sealed record EntityWire(string? Type, AccountWire? Mentioned, string? Text);

internal sealed record ChannelDataWire(IdWire? Tenant, IdWire? Team, IdWire? Channel);

internal sealed record IdWire(string? Id);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ActivityWire))]
internal sealed partial class ActivityJsonContext : JsonSerializerContext;
