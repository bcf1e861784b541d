using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoachBot.Tests;

/// <summary>What happens to a post after it has landed.</summary>
public enum PostFault
{
    None,

    /// <summary>The connection is cut before any answer (the caller sees the response end).</summary>
    Drop,

    /// <summary>A 500 comes back although the message is in the conversation.</summary>
    ServerError,

    /// <summary>No answer until long after the caller's timeout.</summary>
    Hang,
}

/// <summary>
/// Slack's Web API and the Teams Bot Connector on 127.0.0.1, where a post lands as a real one does: once the far side
/// has taken it (after <see cref="PostDelay"/>), whether or not the caller is still there to hear the answer. A killed
/// host's posts in flight therefore land, as they would on Slack, and only a look-up can tell. Slack conversations
/// keep their messages with metadata for <c>conversations.history</c> and <c>conversations.replies</c>.
/// </summary>
internal sealed class LandingChannelApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _conversations = new();
    private readonly ConcurrentDictionary<int, string> _inFlightPorts = new();
    private long _sequence;
    private int _landed;
    private int _inFlight;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LandingChannelApi(TimeSpan postDelay)
    {
        PostDelay = postDelay;
        Port = Loopback.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(AnswerAsync);
    }

    public int Port { get; }

    public string SlackBaseUrl => $"http://127.0.0.1:{Port}/api/";

    public string TeamsServiceUrl => $"http://127.0.0.1:{Port}/";

    public TimeSpan PostDelay { get; set; }

    /// <summary>Decides, per post (by conversation), what goes wrong after it lands. None unless set.</summary>
    public Func<string, PostFault> Fault { get; set; } = _ => PostFault.None;

    /// <summary>When true, the look-ups answer <c>missing_scope</c>, as for an install from before the history scopes.</summary>
    public bool MissingHistoryScope { get; set; }

    /// <summary>Look-ups made (<c>conversations.history</c> and <c>conversations.replies</c>).</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    private int _lookups;

    public int Landed => Volatile.Read(ref _landed);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The callers' local ports of the posts being taken now to conversations that <paramref name="match"/>.</summary>
    public IReadOnlyCollection<int> InFlightPorts(Func<string, bool> match) => [.. _inFlightPorts.Where(p => match(p.Value)).Select(p => p.Key)];

    /// <summary>How many posts landed in each conversation (Slack channel or Teams conversation id).</summary>
    public IReadOnlyDictionary<string, int> Counts() => _conversations.ToDictionary(c => c.Key, c => c.Value.Count);

    public Task StartAsync() => _app.StartAsync();

    /// <summary>Waits until <paramref name="condition"/> holds, checked whenever a post lands or leaves; false at the deadline.</summary>
    public async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition())
            {
                return true;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            // Also wakes now and then: a condition may read state that changes without a post (a host's exit).
            await Task.WhenAny(changed, Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Pulse() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadAsync(request);
        var path = request.Path.Value ?? "";
        var segments = path.Trim('/').Split('/');
        switch (path)
        {
            case "/api/chat.postMessage":
                await PostAsync(context, body["channel"]?.GetValue<string>() ?? "?", body, slack: true);
                return;
            case "/api/conversations.history" or "/api/conversations.replies":
                Interlocked.Increment(ref _lookups);
                await WriteAsync(context, MissingHistoryScope ? """{"ok":false,"error":"missing_scope","needed":"channels:history"}""" : History(body, path.EndsWith("replies", StringComparison.Ordinal)));
                return;
            case "/api/auth.test":
                await WriteAsync(context, """{"ok":true,"user_id":"U0BOT","bot_id":"B0BOT","team_id":"T0001"}""");
                return;
            case "/api/users.info":
                await WriteAsync(context, """{"ok":true,"user":{"id":"U1","tz":"UTC"}}""");
                return;
        }

        switch (segments)
        {
            case ["v3", "conversations", var id, "activities", ..]:
                await PostAsync(context, Uri.UnescapeDataString(id), body, slack: false);
                return;
            case ["v3", "conversations"]:
                await PostAsync(context, body["channelData"]?["channel"]?["id"]?.GetValue<string>() ?? "?", body, slack: false);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private async Task PostAsync(HttpContext context, string conversation, JsonObject body, bool slack)
    {
        var port = context.Connection.RemotePort;
        Interlocked.Increment(ref _inFlight);
        _inFlightPorts[port] = conversation;
        Pulse();
        string ts;
        try
        {
            // The far side takes its time, and keeps the post whether or not the caller waits for the answer.
            await Task.Delay(PostDelay, CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            ts = (now.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture) + "." + (Interlocked.Increment(ref _sequence) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            body["ts"] = ts;
            _conversations.GetOrAdd(conversation, _ => new()).Enqueue(body);
            Interlocked.Increment(ref _landed);
        }
        finally
        {
            _inFlightPorts.TryRemove(port, out _);
            Interlocked.Decrement(ref _inFlight);
            Pulse();
        }

        switch (Fault(conversation))
        {
            case PostFault.Drop:
                context.Abort();
                return;
            case PostFault.ServerError:
                context.Response.StatusCode = 500;
                return;
            case PostFault.Hang:
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Abort();
                return;
        }

        try
        {
            await WriteAsync(context, slack ? $$"""{"ok":true,"channel":"{{conversation}}","ts":"{{ts}}"}""" : $$"""{"id":"{{ts}}"}""");
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The caller is gone (killed): the post landed all the same.
        }
    }

    private string History(JsonObject form, bool replies)
    {
        var channel = form["channel"]?.GetValue<string>() ?? "";
        var oldest = decimal.Parse(form["oldest"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture);
        var thread = form["ts"]?.GetValue<string>();
        var messages = new JsonArray();
        foreach (var message in (_conversations.TryGetValue(channel, out var posted) ? posted.ToArray() : []).Reverse())
        {
            var ts = decimal.Parse(message["ts"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            if (ts < oldest || (replies && message["thread_ts"]?.GetValue<string>() != thread))
            {
                continue;
            }

            var shown = new JsonObject { ["type"] = "message", ["ts"] = message["ts"]!.GetValue<string>() };
            if (form["include_all_metadata"]?.GetValue<string>() == "true" && message["metadata"] is { } metadata)
            {
                shown["metadata"] = metadata.DeepClone();
            }

            messages.Add(shown);
        }

        return new JsonObject { ["ok"] = true, ["messages"] = messages, ["has_more"] = false }.ToJsonString();
    }

    private static async Task WriteAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static async Task<JsonObject> ReadAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return new JsonObject(form.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value.ToString()))));
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        return text.Length > 0 && JsonNode.Parse(text) is JsonObject json ? json : [];
    }
}
