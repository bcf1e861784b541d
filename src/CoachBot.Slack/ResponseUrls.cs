using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoachBot.Slack;

/// <summary>Which <c>response_url</c>s the bot will call, and how to read what they answer.</summary>
internal static class ResponseUrls
{
    /// <summary>Where Slack's slash commands and interactions put their response URLs.</summary>
    public const string SlackHooksHost = "hooks.slack.com";

    // A bare error code Slack may answer with: lower-case letters and underscores, short.
    private const int MaxCodeLength = 64;

    /// <summary>
    /// True for <c>https://hooks.slack.com/…</c> on the default port, or a URL with the same scheme, host and port as
    /// <paramref name="apiBaseUrl"/> (so a test's loopback Slack, or an air-gapped stand-in, can serve both).
    /// </summary>
    /// <remarks>The URL arrives in a request body; calling anything else would turn a forged body into a request to any host.</remarks>
    public static bool IsAllowed(Uri url, Uri apiBaseUrl)
    {
        if (!url.IsAbsoluteUri || url.UserInfo.Length > 0)
        {
            return false;
        }

        if (url.Scheme == Uri.UriSchemeHttps && url.IsDefaultPort && string.Equals(url.IdnHost, SlackHooksHost, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return apiBaseUrl.IsAbsoluteUri
            && url.Scheme == apiBaseUrl.Scheme
            && url.Port == apiBaseUrl.Port
            && string.Equals(url.IdnHost, apiBaseUrl.IdnHost, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The error of a JSON answer with <c>ok</c> not true; null for <c>{"ok":true}</c> or a body that isn't a JSON object.</summary>
    public static string? JsonError(string body)
    {
        if (!body.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body) is JsonObject json && !(json["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk)
                ? SlackWebApiClient.Text(json, "error") ?? "no_ok_field"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A body that is just an error code (<c>expired_url</c>, <c>used_url</c>, <c>no_text</c>); null for anything else.</summary>
    public static string? BareCode(string body)
    {
        var code = body.Trim();
        return code.Length is > 0 and <= MaxCodeLength && code != "ok" && code.All(c => c is (>= 'a' and <= 'z') or '_') ? code : null;
    }
}
