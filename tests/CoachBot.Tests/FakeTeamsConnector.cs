using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoachBot.Tests;

/// <summary>
/// A stand-in for a channel's posting API on 127.0.0.1 (the Bot Connector for Teams, or Slack's
/// <c>chat.postMessage</c>) that answers after <see cref="Delay"/>. A post counts once it is answered: one whose
/// caller hung up first (its process was killed) is not counted as delivered, only as <see cref="Abandoned"/>.
/// </summary>
internal abstract class FakePostingApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;
    private int _abandoned;

    protected FakePostingApi(TimeSpan delay)
    {
        Delay = delay;
        Port = Loopback.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(AnswerAsync);
    }

    public int Port { get; }

    public TimeSpan Delay { get; }

    /// <summary>Every post answered, by conversation, in order.</summary>
    public ConcurrentQueue<string> Delivered { get; } = new();

    public int Received => Volatile.Read(ref _received);

    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>When set, posts arriving while it is closed wait for it (or for their caller to hang up).</summary>
    public FakePostingGate? Gate { get; set; }

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <returns>The conversation the request posts to (null for a read, which is not counted) and the JSON to answer with, or null for 404.</returns>
    protected abstract (string? Conversation, string Answer)? Route(HttpRequest request, JsonObject body);

    private async Task AnswerAsync(HttpContext context)
    {
        var body = await ReadAsync(context.Request);
        if (Route(context.Request, body) is not var (conversation, answer))
        {
            context.Response.StatusCode = 404;
            return;
        }

        Interlocked.Increment(ref _received);
        try
        {
            if (Gate is { } gate)
            {
                await gate.PassAsync(context.Connection.RemotePort, context.RequestAborted);
            }

            await Task.Delay(Delay, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer, context.RequestAborted);
            await context.Response.CompleteAsync();
            if (conversation is not null)
            {
                Delivered.Enqueue(conversation);
            }
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _abandoned);
        }
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

/// <summary>
/// Holds every post that arrives once <see cref="HoldAfter"/> posts were delivered (counted across the fakes that
/// share it), so a test can kill the sender while its posts are in flight and unanswered.
/// </summary>
internal sealed class FakePostingGate(int holdAfter, Func<int> delivered)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int HoldAfter { get; } = holdAfter;

    /// <summary>The callers' local ports of the posts held now.</summary>
    public ConcurrentDictionary<int, bool> HeldPorts { get; } = new();

    public void Open() => _open.TrySetResult();

    public async Task PassAsync(int callerPort, CancellationToken aborted)
    {
        if (_open.Task.IsCompleted || delivered() < HoldAfter)
        {
            return;
        }

        HeldPorts[callerPort] = true;
        try
        {
            await _open.Task.WaitAsync(aborted);
        }
        finally
        {
            HeldPorts.TryRemove(callerPort, out _);
        }
    }
}

/// <summary>The Bot Connector on loopback: proactive posts to a conversation, and new channel threads.</summary>
internal sealed class FakeTeamsConnector(TimeSpan delay) : FakePostingApi(delay)
{
    public string ServiceUrl => $"http://127.0.0.1:{Port}/";

    protected override (string? Conversation, string Answer)? Route(HttpRequest request, JsonObject body)
    {
        var segments = request.Path.Value!.Trim('/').Split('/');
        return segments switch
        {
            ["v3", "conversations", var id, "activities"] => (Uri.UnescapeDataString(id), """{"id":"1700000000001"}"""),
            ["v3", "conversations"] => (body["channelData"]?["channel"]?["id"]?.GetValue<string>() ?? "?", """{"id":"19:thread","activityId":"1700000000002"}"""),
            _ => null,
        };
    }
}
