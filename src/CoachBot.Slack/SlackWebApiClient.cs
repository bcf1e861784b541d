using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CoachBot.Slack;

/// <summary>
/// Calls Slack's Web API and <c>response_url</c>s. Every Web API call takes the bot token to use,
/// because each workspace has its own. A 429 is waited out (Slack did nothing, so sending again is
/// safe); a timeout or 5xx is not retried, because the post may have landed and a second one would
/// be a double post.
/// </summary>
/// <remarks>
/// Failures are <see cref="SlackApiException"/> with the method and an error code: Slack's own code
/// for <c>ok: false</c>, <c>http_NNN</c> for another status, <c>ratelimited</c> when 429s outlast the
/// waits, <c>timeout</c> (the post may have landed), <c>circuit_open</c> (nothing was sent),
/// <c>invalid_response</c>, or <c>untrusted_response_url</c>. A refused connection stays an
/// <see cref="HttpRequestException"/>. Exceptions never carry message text, tokens or URLs.
/// Register with <see cref="SlackHttp.AddSlackWebApi"/>.
/// </remarks>
public sealed class SlackWebApiClient(HttpClient http, SlackOptions options, TimeProvider time)
{
    /// <summary>How many 429s one call waits out before giving up with <c>ratelimited</c>.</summary>
    internal const int MaxRateLimitWaits = 3;

    /// <summary>A longer Retry-After is not waited in line: the caller's own retry (the inbox) handles it better.</summary>
    internal static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private const string ResponseUrlMethod = "response_url";

    /// <summary>How many pages <see cref="FindMarkedAsync"/> reads at most.</summary>
    internal const int MaxReadBackPages = 10;

    /// <summary><c>chat.postMessage</c>; <paramref name="message"/> carries <c>channel</c>. Returns the posted message's <c>ts</c>.</summary>
    public async Task<string> PostMessageAsync(string token, JsonObject message, CancellationToken cancellationToken)
    {
        var response = await CallJsonAsync("chat.postMessage", token, message, cancellationToken).ConfigureAwait(false);
        return Text(response, "ts") ?? "";
    }

    /// <summary><c>chat.postEphemeral</c>: shown only to <paramref name="user"/>, who must be in <paramref name="channel"/>. Returns <c>message_ts</c>.</summary>
    public async Task<string> PostEphemeralAsync(string token, string channel, string user, JsonObject message, CancellationToken cancellationToken)
    {
        var body = With(message, ("channel", channel), ("user", user));
        var response = await CallJsonAsync("chat.postEphemeral", token, body, cancellationToken).ConfigureAwait(false);
        return Text(response, "message_ts") ?? "";
    }

    /// <summary><c>chat.update</c>: replaces the bot's message <paramref name="ts"/> in <paramref name="channel"/>.</summary>
    public Task UpdateAsync(string token, string channel, string ts, JsonObject message, CancellationToken cancellationToken) =>
        CallJsonAsync("chat.update", token, With(message, ("channel", channel), ("ts", ts)), cancellationToken);

    /// <summary><c>views.publish</c>: sets <paramref name="userId"/>'s Home tab to <paramref name="view"/> (<c>{"type":"home",…}</c>).</summary>
    public Task PublishViewAsync(string token, string userId, JsonObject view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var body = new JsonObject { ["user_id"] = userId, ["view"] = view.DeepClone() };
        return CallJsonAsync("views.publish", token, body, cancellationToken);
    }

    /// <summary>
    /// Looks for a message carrying <paramref name="mark"/> in <paramref name="channel"/> (in the thread
    /// <paramref name="threadTs"/> when given: <c>conversations.replies</c>, else <c>conversations.history</c>), posted
    /// at or after <paramref name="oldest"/>. True when it is there, false when not, null when the token may not read
    /// the conversation (<c>missing_scope</c>: an install from before the history scopes), so the caller cannot know.
    /// </summary>
    /// <remarks>
    /// Reads up to <see cref="MaxReadBackPages"/> pages of 200 messages, newest first; a conversation that busy since
    /// <paramref name="oldest"/> counts as "not there". Other refusals are thrown, as for any call.
    /// </remarks>
    public async Task<bool?> FindMarkedAsync(
        string token, string channel, string? threadTs, string oldest, SlackMessageMark mark, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(oldest);
        ArgumentNullException.ThrowIfNull(mark);
        var method = threadTs is null ? "conversations.history" : "conversations.replies";
        var cursor = "";
        for (var page = 0; page < MaxReadBackPages; page++)
        {
            List<KeyValuePair<string, string>> form =
            [
                new("channel", channel),
                new("oldest", oldest),
                new("inclusive", "true"),
                new("include_all_metadata", "true"),
                new("limit", "200"),
            ];
            if (threadTs is not null)
            {
                form.Add(new("ts", threadTs));
            }

            if (cursor.Length > 0)
            {
                form.Add(new("cursor", cursor));
            }

            JsonObject response;
            try
            {
                response = await CallFormAsync(method, Bearer(token), form, cancellationToken).ConfigureAwait(false);
            }
            catch (SlackApiException e) when (e.Error == "missing_scope")
            {
                return null;
            }

            if (response["messages"] is JsonArray messages && messages.Any(mark.IsOn))
            {
                return true;
            }

            cursor = Text(response["response_metadata"], "next_cursor") ?? "";
            if (cursor.Length == 0)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary><c>auth.test</c>: who the token belongs to.</summary>
    public async Task<SlackAuthTest> AuthTestAsync(string token, CancellationToken cancellationToken)
    {
        var response = await CallFormAsync("auth.test", Bearer(token), [], cancellationToken).ConfigureAwait(false);
        return Text(response, "user_id") is { } userId && Text(response, "team_id") is { } teamId
            ? new SlackAuthTest(userId, Text(response, "bot_id"), teamId, Text(response, "enterprise_id"))
            : throw new SlackApiException("auth.test", "invalid_response");
    }

    /// <summary><c>users.info</c>: the user's IANA time zone (<c>user.tz</c>, e.g. <c>Europe/Berlin</c>), or null when Slack has none.</summary>
    public async Task<string?> UsersInfoTimeZoneAsync(string token, string userId, CancellationToken cancellationToken)
    {
        // users.info reads arguments from a form, not JSON (Slack accepts JSON bodies on write methods only).
        var response = await CallFormAsync("users.info", Bearer(token), [new("user", userId)], cancellationToken).ConfigureAwait(false);
        return Text(response["user"], "tz") is { Length: > 0 } tz ? tz : null;
    }

    /// <summary>
    /// <c>oauth.v2.access</c>: trades an install's authorization <paramref name="code"/> for a bot token, then asks
    /// <c>auth.test</c> for the bot id, which the exchange does not return.
    /// </summary>
    /// <param name="redirectUri">The redirect URI sent to the authorize page, if one was: Slack requires the same value.</param>
    public async Task<SlackOAuthAccess> OAuthV2AccessAsync(
        string clientId, string clientSecret, string code, string? redirectUri, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecret);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);

        // HTTP Basic client authentication, which Slack prefers to client_secret in the body (it keeps the secret out of form logs).
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}")));
        List<KeyValuePair<string, string>> form = [new("code", code)];
        if (!string.IsNullOrEmpty(redirectUri))
        {
            form.Add(new("redirect_uri", redirectUri));
        }

        const string Method = "oauth.v2.access";
        var response = await CallFormAsync(Method, basic, form, cancellationToken).ConfigureAwait(false);
        if (Text(response, "access_token") is not { Length: > 0 } accessToken
            || Text(response, "bot_user_id") is not { Length: > 0 } botUserId
            || Text(response, "app_id") is not { Length: > 0 } appId)
        {
            throw new SlackApiException(Method, "invalid_response");
        }

        var access = new SlackOAuthAccess(
            accessToken,
            botUserId,
            Text(response, "bot_id"),
            appId,
            Text(response["team"], "id"),
            Text(response["team"], "name"),
            Text(response["enterprise"], "id"),
            response["is_enterprise_install"] is JsonValue flag && flag.TryGetValue<bool>(out var isEnterprise) && isEnterprise,
            Text(response, "scope") ?? "");
        if (access.BotId is not null)
        {
            return access;
        }

        try
        {
            return access with { BotId = (await AuthTestAsync(accessToken, cancellationToken).ConfigureAwait(false)).BotId };
        }
        catch (SlackApiException)
        {
            // The install itself succeeded; the bot id only helps spot our own messages, and the bot user id does that too.
            return access;
        }
    }

    /// <summary>
    /// Posts <paramref name="message"/> to a slash command's or an interaction's <c>response_url</c> (no token: the URL is
    /// the credential). Only <c>https://hooks.slack.com</c> URLs, or URLs on the configured API base's host, are called:
    /// the URL comes from a request body, and anything else would let a forged body make the bot call arbitrary hosts.
    /// </summary>
    public async Task RespondAsync(Uri responseUrl, JsonObject message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responseUrl);
        ArgumentNullException.ThrowIfNull(message);
        if (!ResponseUrls.IsAllowed(responseUrl, options.ApiBaseUrl))
        {
            throw new SlackApiException(ResponseUrlMethod, "untrusted_response_url");
        }

        var json = message.ToJsonString();
        using var response = await SendAsync(ResponseUrlMethod, () => Post(responseUrl, JsonBody(json), auth: null), cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);

        // Slack answers a response_url with plain "ok" or JSON {"ok":…}; an error is JSON or a bare code such as "expired_url".
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException(ResponseUrlMethod, ResponseUrls.JsonError(text) ?? ResponseUrls.BareCode(text) ?? "http_" + (int)response.StatusCode);
        }

        if (ResponseUrls.JsonError(text) is { } error)
        {
            throw new SlackApiException(ResponseUrlMethod, error);
        }
    }

    private Task<JsonObject> CallJsonAsync(string method, string token, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var auth = Bearer(token);
        var json = body.ToJsonString();
        return CallAsync(method, () => Post(new Uri(options.ApiBaseUrl, method), JsonBody(json), auth), cancellationToken);
    }

    private Task<JsonObject> CallFormAsync(
        string method, AuthenticationHeaderValue auth, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken) =>
        CallAsync(method, () => Post(new Uri(options.ApiBaseUrl, method), new FormUrlEncodedContent(form), auth), cancellationToken);

    private async Task<JsonObject> CallAsync(string method, Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new SlackApiException(method, "http_" + (int)response.StatusCode);
        }

        JsonObject? json;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                json = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject;
            }
        }
        catch (JsonException)
        {
            // Not Slack (a proxy's HTML page, say). The parser's message could quote the body, so it is not kept.
            throw new SlackApiException(method, "invalid_response");
        }

        if (json is null)
        {
            throw new SlackApiException(method, "invalid_response");
        }

        return json["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk
            ? json
            : throw new SlackApiException(method, Text(json, "error") ?? "no_ok_field");
    }

    /// <summary>Sends, waiting out up to <see cref="MaxRateLimitWaits"/> 429s; any other answer goes back to the caller.</summary>
    private async Task<HttpResponseMessage> SendAsync(string method, Func<HttpRequestMessage> makeRequest, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            using (var request = makeRequest())
            {
                try
                {
                    response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutRejectedException e)
                {
                    throw new SlackApiException(method, "timeout", e);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    // HttpClient.Timeout, when no resilience handler is in front of it.
                    throw new SlackApiException(method, "timeout", e);
                }
                catch (BrokenCircuitException e)
                {
                    throw new SlackApiException(method, "circuit_open", e);
                }
            }

            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            SlackTelemetry.RateLimited.Add(1, new KeyValuePair<string, object?>("method", method));
            var wait = RetryAfter(response);
            response.Dispose();
            if (attempt >= MaxRateLimitWaits || wait > MaxRetryAfter)
            {
                throw new SlackApiException(method, "ratelimited");
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        // Slack sends whole seconds; an HTTP date is allowed by the standard, so it is honoured too.
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - time.GetUtcNow() : TimeSpan.FromSeconds(1));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static HttpRequestMessage Post(Uri uri, HttpContent content, AuthenticationHeaderValue? auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Authorization = auth;
        return request;
    }

    // Slack asks for the charset on JSON bodies (a missing one gets a missing_charset warning).
    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static AuthenticationHeaderValue Bearer(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>A copy of the caller's message with the call's own arguments set, so the caller's object is never changed.</summary>
    private static JsonObject With(JsonObject message, params ReadOnlySpan<(string Name, string Value)> fields)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = message.DeepClone().AsObject();
        foreach (var (name, value) in fields)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
            body[name] = value;
        }

        return body;
    }

    /// <summary>A string property of a JSON object, or null when absent or of another kind (Slack's answers are not trusted for shape).</summary>
    internal static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
