using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoachBot.Teams;

/// <summary>
/// Calls the Bot Connector REST API (v3) at a conversation's service URL: replies, proactive sends,
/// updates and new channel posts. A typed HttpClient: see <see cref="TeamsHttp"/> for how to register it.
/// </summary>
/// <remarks>
/// <para>Only service URLs in <see cref="TrustedServiceUrls"/> are called; anything else throws
/// <see cref="UntrustedServiceUrlException"/> before a request is made.</para>
/// <para>Retries are done here, not by a resilience handler, because a POST may only be repeated
/// when the service said it did not take it: 429 waits out <c>Retry-After</c> (up to 3 times);
/// 412/502/503/504 back off 0.5 s, 1 s, 2 s. Timeouts and connection failures are not retried
/// (the message may have been posted). Every other failure throws <see cref="TeamsApiException"/>.</para>
/// <para>Pacing per conversation is the caller's job; this client sends as soon as it is asked.</para>
/// </remarks>
public sealed class BotConnectorClient
{
    /// <summary>Longer throttling waits are not sat out here: the caller gets a 429 and can reschedule.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    private const int MaxThrottledRetries = 3;
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan[] TransientDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    // Error bodies are small JSON; reading more would only let a misbehaving peer waste memory.
    private const int MaxErrorBodyBytes = 64 * 1024;
    private const int MaxErrorCodeLength = 64;

    private readonly HttpClient _http;
    private readonly IBotTokenSource _tokens;
    private readonly TrustedServiceUrls _trusted;
    private readonly TimeProvider _time;

    public BotConnectorClient(HttpClient httpClient, IBotTokenSource tokenSource, TrustedServiceUrls trustedServiceUrls, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(tokenSource);
        ArgumentNullException.ThrowIfNull(trustedServiceUrls);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _http = httpClient;
        _tokens = tokenSource;
        _trusted = trustedServiceUrls;
        _time = timeProvider;
    }

    /// <summary>Replies in the conversation (in a channel, in the thread of <paramref name="replyToActivityId"/>).</summary>
    /// <returns>The id of the new activity, when the service gives one.</returns>
    public async Task<string?> ReplyToActivityAsync(
        string serviceUrl, string conversationId, string replyToActivityId, JsonObject activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(replyToActivityId);
        var body = Copy(activity);
        body["replyToId"] ??= replyToActivityId;
        var response = await SendAsync(
            "reply", HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(replyToActivityId)}",
            body, cancellationToken).ConfigureAwait(false);
        return StringOf(response, "id");
    }

    /// <summary>Posts into the conversation without replying to anything (proactive messages).</summary>
    public async Task<string?> SendToConversationAsync(
        string serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var response = await SendAsync(
            "send", HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities",
            Copy(activity), cancellationToken).ConfigureAwait(false);
        return StringOf(response, "id");
    }

    /// <summary>Replaces an activity the bot sent earlier (e.g. a card after a button press).</summary>
    public async Task UpdateActivityAsync(
        string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        var body = Copy(activity);
        body["id"] = activityId;
        await SendAsync(
            "update", HttpMethod.Put, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}",
            body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a new top-level post in a Teams channel (the daily nudge). The channel goes in
    /// <c>channelData.channel.id</c>: passed anywhere else, Teams opens a 1:1 chat instead.
    /// </summary>
    /// <param name="teamChannelId">The Teams channel (<c>19:…@thread.tacv2</c>), see <see cref="TeamsAddress.TeamChannelId"/>.</param>
    public async Task<CreatedConversation> CreateConversationAsync(
        string serviceUrl, string tenantId, string teamChannelId, JsonObject activity, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(teamChannelId);
        var body = new JsonObject
        {
            ["isGroup"] = true,
            ["channelData"] = new JsonObject
            {
                ["channel"] = new JsonObject { ["id"] = teamChannelId },
                ["tenant"] = new JsonObject { ["id"] = tenantId },
            },
            ["activity"] = Copy(activity),
            ["tenantId"] = tenantId,
        };
        var response = await SendAsync("create-conversation", HttpMethod.Post, serviceUrl, "v3/conversations", body, cancellationToken)
            .ConfigureAwait(false);
        var conversationId = StringOf(response, "id")
            ?? throw new InvalidOperationException("Teams create-conversation succeeded but returned no conversation id.");
        return new CreatedConversation(conversationId, StringOf(response, "activityId"), StringOf(response, "serviceUrl"));
    }

    private async Task<JsonObject?> SendAsync(
        string operation, HttpMethod method, string serviceUrl, string path, JsonObject body, CancellationToken cancellationToken)
    {
        var uri = Endpoint(serviceUrl, path);
        var json = body.ToJsonString();
        var throttled = 0;
        var transient = 0;
        while (true)
        {
            using var request = new HttpRequestMessage(method, uri)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            // Asked on every attempt: the token source caches, and a retry after a long wait may need a fresh token.
            if (await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await ReadObjectAsync(response, cancellationToken).ConfigureAwait(false);
            }

            TimeSpan? wait = null;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                TeamsTelemetry.RateLimited.Add(1, new KeyValuePair<string, object?>("operation", operation));
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests && throttled < MaxThrottledRetries)
            {
                throttled++;
                wait = RetryAfter(response);
            }
            else if (IsTransient(response.StatusCode) && transient < TransientDelays.Length)
            {
                wait = TransientDelays[transient++];
            }

            if (wait is not { } delay)
            {
                throw new TeamsApiException(operation, response.StatusCode, await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false));
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private Uri Endpoint(string serviceUrl, string path)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        if (!_trusted.IsTrusted(serviceUrl))
        {
            throw new UntrustedServiceUrlException(serviceUrl);
        }

        // Service URLs come with and without the trailing slash; without one the last segment would be replaced.
        return new Uri(new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/"), path);
    }

    // 412: another operation on the conversation was in flight; 5xx gateways: the message was not taken.
    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The throttling wait the service asked for; null (give up) when it is longer than <see cref="MaxRetryAfter"/>.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta
            ?? (header?.Date is { } date ? date - _time.GetUtcNow() : DefaultRetryAfter);
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        return wait <= MaxRetryAfter ? wait : null;
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // A 2xx means the activity was taken; an odd body only costs us the new id.
            return null;
        }
    }

    /// <summary>The <c>error.code</c> of a failure body; the <c>message</c> beside it is never read, it can quote the activity.</summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxErrorBodyBytes];
                var length = 0;
                int read;
                while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                return document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var error)
                    && error.ValueKind == JsonValueKind.Object
                    && error.TryGetProperty("code", out var code)
                    && code.ValueKind == JsonValueKind.String
                    && code.GetString() is { Length: > 0 and <= MaxErrorCodeLength } value
                    ? value
                    : null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject Copy(JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        // The caller's object stays untouched: it may be reused for another conversation.
        return activity.DeepClone().AsObject();
    }

    private static string? StringOf(JsonObject? response, string name) =>
        response?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    // Teams channel thread ids contain ';messageid=' and colons: each id is one escaped path segment.
    private static string Escape(string id) => Uri.EscapeDataString(id);
}

/// <summary>What <see cref="BotConnectorClient.CreateConversationAsync"/> made.</summary>
/// <param name="ConversationId">The new thread's conversation id: reply into it with SendToConversation.</param>
/// <param name="ActivityId">The id of the first post, when the service gives one.</param>
/// <param name="ServiceUrl">The service URL to use for the new conversation, when the service names one.</param>
public sealed record CreatedConversation(string ConversationId, string? ActivityId, string? ServiceUrl);
