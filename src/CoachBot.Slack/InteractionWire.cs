using System.Text.Json.Serialization;

namespace CoachBot.Slack;

// Slack's block_actions payload, with only the fields we read; everything else is skipped by the serializer.
// Kept inside this project so no other project depends on Slack's wire format.

/// <summary>A <c>block_actions</c> payload (bolt-js <c>src/types/actions/block-action.ts</c>).</summary>
/// <param name="Team">Null for an org-wide install; <see cref="UserWire.TeamId"/> names the workspace then.</param>
/// <param name="Message">Absent for ephemeral messages and views; <see cref="Container"/> still has the ids.</param>
internal sealed record BlockActionsWire(
    string? Type,
    IReadOnlyList<ActionWire>? Actions,
    IdWire? Team,
    IdWire? Enterprise,
    UserWire? User,
    IdWire? Channel,
    MessageWire? Message,
    ContainerWire? Container,
    string? ResponseUrl,
    string? TriggerId);

internal sealed record ActionWire(string? ActionId, string? Value);

internal sealed record IdWire(string? Id);

internal sealed record UserWire(string? Id, string? TeamId);

internal sealed record MessageWire(string? Ts, string? ThreadTs);

/// <summary>Where the button is: <c>type</c> <c>message</c> or <c>view</c>, and for messages whether it is ephemeral.</summary>
internal sealed record ContainerWire(string? Type, string? MessageTs, string? ChannelId, string? ThreadTs, bool? IsEphemeral);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BlockActionsWire))]
internal sealed partial class SlackInteractionJsonContext : JsonSerializerContext;
