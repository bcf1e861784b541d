using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CoachBot.Tests;

/// <summary>
/// An in-repo stand-in for Slack on 127.0.0.1: the Web API under <c>/api/</c> and <c>response_url</c>s under
/// <c>/response/</c>. It records every call and answers like Slack (optionally with 429s first, or
/// <c>ok:false</c> for chosen methods), so tests see exactly what the bot sent.
/// </summary>
internal sealed class FakeSlackApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private Task? _loop;
    private int _rateLimitsLeft;

    /// <param name="start">False reserves the port but leaves Slack "down" (connections refused) until <see cref="Start"/>.</param>
    public FakeSlackApi(int rateLimitFirst = 0, bool start = true)
    {
        _rateLimitsLeft = rateLimitFirst;
        Port = Loopback.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        if (start)
        {
            Start();
        }
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}/api/";

    /// <summary>A response_url the bot may post to (same host as the API, as the bot's SSRF guard requires).</summary>
    public string ResponseUrl(string id) => $"http://127.0.0.1:{Port}/response/{id}";

    public ConcurrentQueue<(string Method, string? Authorization, JsonObject Body)> Calls { get; } = new();

    /// <summary>Methods that answer <c>{"ok":false,"error":…}</c>.</summary>
    public ConcurrentDictionary<string, string> Errors { get; } = new();

    /// <summary>What <c>oauth.v2.access</c> answers (an installation for team T0001 unless changed).</summary>
    public string OAuthAnswer { get; set; } =
        """{"ok":true,"access_token":"xoxb-installed","token_type":"bot","scope":"chat:write,im:history,app_mentions:read,commands,users:read","bot_user_id":"U0BOT","app_id":"A0001","team":{"id":"T0001","name":"Acme Sales"},"enterprise":null,"is_enterprise_install":false}""";

    public int RateLimited { get; private set; }

    public void Start()
    {
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyList<JsonObject> Bodies(string method) => [.. Calls.Where(c => c.Method == method).Select(c => c.Body)];

    public IReadOnlyList<JsonObject> Posts() => Bodies("chat.postMessage");

    public Task<IReadOnlyList<JsonObject>> WaitForPostsAsync(int count, TimeSpan timeout) => WaitForAsync("chat.postMessage", count, timeout);

    public async Task<IReadOnlyList<JsonObject>> WaitForAsync(string method, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && Bodies(method).Count < count)
        {
            await Task.Delay(50);
        }

        return Bodies(method);
    }

    public void Dispose()
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        _listener.Close();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
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

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        var method = path.StartsWith("/api/", StringComparison.Ordinal) ? path["/api/".Length..] : "response_url";
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var body = text.StartsWith('{') ? JsonNode.Parse(text) as JsonObject ?? [] : FormToJson(text);
        if (method == "response_url")
        {
            body["response_url_id"] = path["/response/".Length..];
        }

        var response = context.Response;
        if (Interlocked.Decrement(ref _rateLimitsLeft) >= 0)
        {
            RateLimited++;
            response.StatusCode = 429;
            response.Headers["Retry-After"] = "1";
            response.Close();
            return;
        }

        Calls.Enqueue((method, context.Request.Headers["Authorization"], body));
        var answer = method switch
        {
            _ when Errors.TryGetValue(method, out var error) => $$"""{"ok":false,"error":"{{error}}"}""",
            "oauth.v2.access" => OAuthAnswer,
            "auth.test" => """{"ok":true,"user_id":"U0BOT","bot_id":"B0BOT","team_id":"T0001"}""",
            "users.info" => """{"ok":true,"user":{"id":"U2147483697","tz":"Europe/Berlin"}}""",
            "response_url" => "ok",
            _ => $$"""{"ok":true,"channel":"{{body["channel"]}}","ts":"1700000000.{{Calls.Count:D6}}"}""",
        };
        response.ContentType = method == "response_url" ? "text/plain" : "application/json";
        await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(answer));
        response.Close();
    }

    private static JsonObject FormToJson(string form)
    {
        var json = new JsonObject();
        foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            json[Uri.UnescapeDataString(parts[0].Replace('+', ' '))] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
        }

        return json;
    }
}
