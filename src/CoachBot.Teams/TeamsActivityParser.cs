using System.Text;
using System.Text.Json;

namespace CoachBot.Teams;

/// <summary>Reads a Bot Framework activity body into one <see cref="TeamsActivity"/> case.</summary>
/// <remarks>Never throws for bad input: a body that cannot be read is a <see cref="MalformedActivity"/>.</remarks>
public static class TeamsActivityParser
{
    public static TeamsActivity Parse(ReadOnlySpan<byte> utf8Json)
    {
        ActivityWire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(utf8Json, ActivityJsonContext.Default.ActivityWire);
        }
        catch (JsonException)
        {
            // The exception text can quote the body; the reason stays generic so logs carry no message text.
            return new MalformedActivity("body is not valid activity JSON");
        }

        if (wire is null)
        {
            return new MalformedActivity("body is not a JSON object");
        }

        if (string.IsNullOrEmpty(wire.Type))
        {
            return new MalformedActivity("activity has no type", wire.ChannelId, wire.ServiceUrl);
        }

        // Activity types are case-insensitive in the Bot Framework; new ones can appear at any time.
        return wire.Type.ToLowerInvariant() switch
        {
            "message" => Message(wire),
            "invoke" => Invoke(wire),
            "installationupdate" => InstallationUpdate(wire),
            "conversationupdate" => ConversationUpdate(wire),
            _ => Ignored(wire, $"activity type {Clip(wire.Type)}"),
        };
    }

    private static TeamsActivity Message(ActivityWire wire)
    {
        if (Address(wire, out var address) is { } missing)
        {
            return missing;
        }

        if (string.IsNullOrEmpty(wire.Id))
        {
            return Malformed(wire, "message has no id");
        }

        // Action.Submit arrives as a message with empty text and the action's data in value.
        if (wire.Value is { ValueKind: JsonValueKind.Object } value)
        {
            var data = StringProperties(value);
            return data.Remove("verb", out var verb) && verb.Length > 0
                ? new CardSubmitted(address, wire.Id, verb, data)
                : Ignored(wire, "card submit without a verb");
        }

        var text = Mentions.Strip(wire.Text ?? "", wire.Entities, address.BotId);
        return text.Length == 0
            ? Ignored(wire, "message without text")
            : new MessageReceived(address, wire.Id, text);
    }

    private static TeamsActivity Invoke(ActivityWire wire)
    {
        if (!string.Equals(wire.Name, "adaptiveCard/action", StringComparison.OrdinalIgnoreCase))
        {
            return Ignored(wire, $"invoke {Clip(wire.Name)}");
        }

        if (Address(wire, out var address) is { } missing)
        {
            return missing;
        }

        if (string.IsNullOrEmpty(wire.Id))
        {
            return Malformed(wire, "invoke has no id");
        }

        if (wire.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action)
            || action.ValueKind != JsonValueKind.Object)
        {
            return Malformed(wire, "adaptiveCard/action without value.action");
        }

        if (!string.Equals(StringOf(action, "type"), "Action.Execute", StringComparison.Ordinal))
        {
            return Malformed(wire, "adaptiveCard/action whose action is not Action.Execute");
        }

        var verb = StringOf(action, "verb");
        if (string.IsNullOrEmpty(verb))
        {
            return Malformed(wire, "adaptiveCard/action without a verb");
        }

        var data = action.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
            ? StringProperties(d)
            : [];
        return new CardActionInvoked(address, wire.Id, verb, data);
    }

    private static TeamsActivity InstallationUpdate(ActivityWire wire)
    {
        // The docs show both "add" and "Add"; "add-upgrade" and "remove-upgrade" are app updates, not installs.
        var add = string.Equals(wire.Action, "add", StringComparison.OrdinalIgnoreCase);
        if (!add && !string.Equals(wire.Action, "remove", StringComparison.OrdinalIgnoreCase))
        {
            return Ignored(wire, $"installationUpdate action {Clip(wire.Action)}");
        }

        if (Address(wire, out var address) is { } missing)
        {
            return missing;
        }

        return add ? new BotInstalled(address) : new BotUninstalled(address);
    }

    private static TeamsActivity ConversationUpdate(ActivityWire wire)
    {
        var botId = wire.Recipient?.Id;
        var botAdded = !string.IsNullOrEmpty(botId)
            && wire.MembersAdded?.Any(m => string.Equals(m.Id, botId, StringComparison.Ordinal)) == true;
        if (!botAdded)
        {
            return Ignored(wire, "conversationUpdate without the bot in membersAdded");
        }

        if (Address(wire, out var address) is { } missing)
        {
            return missing;
        }

        return new BotInstalled(address);
    }

    /// <summary>Reads the reply address; returns a <see cref="MalformedActivity"/> naming the first missing field.</summary>
    private static MalformedActivity? Address(ActivityWire wire, out TeamsAddress address)
    {
        address = null!;
        var missing =
            string.IsNullOrEmpty(wire.ServiceUrl) ? "serviceUrl"
            : string.IsNullOrEmpty(wire.ChannelId) ? "channelId"
            : string.IsNullOrEmpty(wire.Conversation?.Id) ? "conversation.id"
            : string.IsNullOrEmpty(wire.Recipient?.Id) ? "recipient.id"
            : null;
        if (missing is not null)
        {
            return Malformed(wire, $"{wire.Type} has no {missing}");
        }

        var conversation = wire.Conversation!;
        address = new TeamsAddress(
            wire.ServiceUrl!,
            wire.ChannelId!,
            conversation.Id!,
            Scope(conversation),
            wire.Recipient!.Id!,
            conversation.TenantId ?? wire.ChannelData?.Tenant?.Id,
            wire.From?.Id,
            wire.From?.AadObjectId,
            wire.ChannelData?.Team?.Id,
            wire.ChannelData?.Channel?.Id);
        return null;
    }

    private static TeamsScope Scope(ConversationWire conversation) => conversation.ConversationType switch
    {
        "channel" => TeamsScope.Channel,
        "groupChat" => TeamsScope.GroupChat,
        "personal" => TeamsScope.Personal,
        _ => conversation.IsGroup == true ? TeamsScope.GroupChat : TeamsScope.Personal,
    };

    // Card data is ours (rule ids, verbs) plus input values, which Adaptive Cards send as strings; anything else is dropped.
    private static Dictionary<string, string> StringProperties(JsonElement obj)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                data[property.Name] = property.Value.GetString()!;
            }
        }

        return data;
    }

    private static string? StringOf(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Reasons go to the logs and quote names from the body: keep a hostile body from writing pages there.
    private static string? Clip(string? name) => name is { Length: > 64 } ? name[..64] + "…" : name;

    private static IgnoredActivity Ignored(ActivityWire wire, string reason) => new(reason, wire.ChannelId, wire.ServiceUrl);

    private static MalformedActivity Malformed(ActivityWire wire, string reason) => new(reason, wire.ChannelId, wire.ServiceUrl);

    /// <summary>Mention markup in channel and group-chat messages (teams-protocol.md §3.4).</summary>
    private static class Mentions
    {
        public static string Strip(string text, IReadOnlyList<EntityWire>? entities, string botId)
        {
            // Trust the entities, not the text: remove exactly what Teams says is the bot's mention.
            foreach (var entity in entities ?? [])
            {
                if (string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase)
                    && string.Equals(entity.Mentioned?.Id, botId, StringComparison.Ordinal))
                {
                    var markup = string.IsNullOrEmpty(entity.Text) ? $"<at>{entity.Mentioned?.Name}</at>" : entity.Text;
                    text = text.Replace(markup, " ", StringComparison.OrdinalIgnoreCase);
                }
            }

            return KeepOtherNames(text).Trim();
        }

        // Other people's mentions keep the name. Teams writes "<at>Tom</at>is", so a space goes in before a
        // following word (not before punctuation: "<at>Ann</at>?" stays "Ann?").
        private static string KeepOtherNames(string text)
        {
            if (!text.Contains("<at", StringComparison.OrdinalIgnoreCase))
            {
                return text;
            }

            var sb = new StringBuilder(text.Length);
            var i = 0;
            while (i < text.Length)
            {
                var open = text.IndexOf("<at", i, StringComparison.OrdinalIgnoreCase);
                if (open >= 0 && !IsAtTag(text, open))
                {
                    sb.Append(text, i, open + 3 - i);
                    i = open + 3;
                    continue;
                }

                var openEnd = open < 0 ? -1 : text.IndexOf('>', open);
                var close = openEnd < 0 ? -1 : text.IndexOf("</at>", openEnd, StringComparison.OrdinalIgnoreCase);
                if (close < 0)
                {
                    sb.Append(text, i, text.Length - i);
                    break;
                }

                sb.Append(text, i, open - i).Append(text, openEnd + 1, close - openEnd - 1);
                i = close + "</at>".Length;
                if (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    sb.Append(' ');
                }
            }

            return sb.ToString();
        }

        // "<at>" or "<at id=...>", not "<atom>".
        private static bool IsAtTag(string text, int open) =>
            open + 3 < text.Length && (text[open + 3] == '>' || char.IsWhiteSpace(text[open + 3]));
    }
}
