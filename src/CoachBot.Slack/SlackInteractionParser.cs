using System.Text.Json;

namespace CoachBot.Slack;

/// <summary>Turns an interactivity form body (one field, <c>payload</c>, holding JSON) into a <see cref="SlackInteraction"/>.</summary>
/// <remarks>
/// Call only after <see cref="SlackSignatureVerifier"/> said <see cref="SlackSignatureResult.Valid"/> on the same
/// bytes: the signature covers the form as sent, not the decoded JSON. Never throws for bad input.
/// </remarks>
public static class SlackInteractionParser
{
    public static SlackInteraction Parse(ReadOnlySpan<byte> formBody)
    {
        if (FormBody.Parse(formBody).NonEmpty("payload") is not { } payload)
        {
            return new SlackInteraction.Malformed("no payload field");
        }

        string? type;
        try
        {
            // The type first: other interactions (view_submission, shortcut) use our field names with other shapes,
            // and must come out Ignored, not Malformed.
            using var document = JsonDocument.Parse(payload);
            type = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var typeProperty)
                && typeProperty.ValueKind == JsonValueKind.String
                    ? typeProperty.GetString()
                    : null;
        }
        catch (JsonException)
        {
            // The exception message can quote the payload; the reason must stay safe to log.
            return new SlackInteraction.Malformed("payload is not JSON");
        }

        return type switch
        {
            null or "" => new SlackInteraction.Malformed("payload has no type"),
            "block_actions" => BlockActions(payload),
            _ => new SlackInteraction.Ignored(type),
        };
    }

    private static SlackInteraction BlockActions(string payload)
    {
        BlockActionsWire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(payload, SlackInteractionJsonContext.Default.BlockActionsWire);
        }
        catch (JsonException)
        {
            return new SlackInteraction.Malformed("block_actions has fields of the wrong shape");
        }

        if (wire?.Actions is not [{ ActionId: { Length: > 0 } actionId } action, ..])
        {
            return new SlackInteraction.Malformed("block_actions without an action_id");
        }

        if (wire.User?.Id is not { Length: > 0 } user)
        {
            return new SlackInteraction.Malformed("block_actions without a user");
        }

        // team is null for an org-wide install; the user's own workspace stands in (bolt-js buildSource does the same).
        if ((wire.Team?.Id ?? wire.User.TeamId) is not { Length: > 0 } team)
        {
            return new SlackInteraction.Malformed("block_actions without a team");
        }

        var container = wire.Container;
        return new SlackInteraction.BlockActions(
            actionId,
            action.Value,
            team,
            NullIfEmpty(wire.Enterprise?.Id),
            user,
            NullIfEmpty(wire.Channel?.Id ?? container?.ChannelId),
            NullIfEmpty(wire.Message?.Ts ?? container?.MessageTs),
            NullIfEmpty(wire.Message?.ThreadTs ?? container?.ThreadTs),
            SlackCommandParser.HttpUrl(wire.ResponseUrl),
            container?.IsEphemeral == true,
            NullIfEmpty(wire.TriggerId));
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
