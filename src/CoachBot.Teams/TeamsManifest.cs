using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoachBot.Teams;

/// <summary>Reads the Teams app manifest (<c>manifest/teams/manifest.json</c>).</summary>
public static class TeamsManifest
{
    /// <summary>
    /// The titles of the bot's commands across all its command lists, each once, in manifest order,
    /// so a test can hold them against the command router.
    /// </summary>
    /// <exception cref="FormatException">The text is not a manifest with a bot.</exception>
    public static IReadOnlyList<string> CommandTitles(string manifestJson)
    {
        var manifest = Parse(manifestJson);
        if (manifest["bots"] is not JsonArray { Count: > 0 } bots || bots[0] is not JsonObject bot)
        {
            throw new FormatException("The Teams manifest declares no bot.");
        }

        var titles = new List<string>();
        foreach (var list in (bot["commandLists"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var command in (list["commands"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (command["title"] is JsonValue title && title.TryGetValue<string>(out var text) && !titles.Contains(text, StringComparer.Ordinal))
                {
                    titles.Add(text);
                }
            }
        }

        return titles;
    }

    internal static JsonObject Parse(string manifestJson)
    {
        ArgumentNullException.ThrowIfNull(manifestJson);
        try
        {
            // Editors on Windows save JSON with a byte-order mark; the parser would refuse it.
            return JsonNode.Parse(manifestJson.TrimStart('\uFEFF')) as JsonObject
                ?? throw new FormatException("The Teams manifest is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The Teams manifest is not valid JSON: {e.Message}", e);
        }
    }
}
