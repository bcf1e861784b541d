using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CoachBot.Tests;

/// <summary>
/// An in-repo stand-in for Slack's Web API on 127.0.0.1: records every call and answers like Slack,
/// optionally with 429s first, so tests can see exactly what the bot posted.
/// </summary>
internal sealed class FakeSlackApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _rateLimitsLeft;

    public FakeSlackApi(int rateLimitFirst = 0)
    {
        _rateLimitsLeft = rateLimitFirst;
        Port = Loopback.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/api/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/api/";

    public ConcurrentQueue<(string Method, string? Authorization, JsonObject Body)> Calls { get; } = new();

    public int RateLimited { get; private set; }

    public async Task<IReadOnlyList<JsonObject>> WaitForPostsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && Posts().Count < count)
        {
            await Task.Delay(50);
        }

        return Posts();
    }

    public IReadOnlyList<JsonObject> Posts() => [.. Calls.Where(c => c.Method == "chat.postMessage").Select(c => c.Body)];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContext; that is how the loop ends.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var method = context.Request.Url!.AbsolutePath["/api/".Length..];
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject ?? [];
            var response = context.Response;
            if (Interlocked.Decrement(ref _rateLimitsLeft) >= 0)
            {
                RateLimited++;
                response.StatusCode = 429;
                response.Headers["Retry-After"] = "1";
                response.Close();
                continue;
            }

            Calls.Enqueue((method, context.Request.Headers["Authorization"], body));
            var answer = Encoding.UTF8.GetBytes($$"""{"ok":true,"channel":"{{body["channel"]}}","ts":"1700000000.{{Calls.Count:D6}}"}""");
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(answer);
            response.Close();
        }
    }
}
