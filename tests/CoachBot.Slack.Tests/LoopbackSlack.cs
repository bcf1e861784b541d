using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CoachBot.Slack.Tests;

/// <summary>
/// A fake Slack on 127.0.0.1 serving both the Web API (<c>/api/{method}</c>) and response URLs (any other path):
/// records every request as it arrived on the wire and answers from a script, then with <c>{"ok":true,…}</c>.
/// </summary>
internal sealed class LoopbackSlack : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentQueue<Answer> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public LoopbackSlack()
    {
        (_listener, BaseUrl) = Listen();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>A client pointed at this fake, with a plain HttpClient (no resilience handler).</summary>
    public SlackWebApiClient Client(TimeProvider? time = null) =>
        new(new HttpClient(), new SlackOptions { ApiBaseUrl = ApiBaseUrl }, time ?? new InstantClock());

    /// <summary>Queues the next answers, in order.</summary>
    public LoopbackSlack Then(int status, string? body = null, params (string Name, string Value)[] headers)
    {
        _script.Enqueue(new Answer(status, body, headers));
        return this;
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
            // Closing the listener is how the loop is told to stop.
        }
    }

    private static (HttpListener Listener, Uri BaseUrl) Listen()
    {
        // HttpListener cannot bind port 0, so borrow a free port from the OS first; retry if someone takes it meanwhile.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var baseUrl = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(baseUrl.AbsoluteUri);
            try
            {
                listener.Start();
                return (listener, baseUrl);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                _requests.Enqueue(new RecordedRequest(
                    context.Request.HttpMethod,
                    context.Request.RawUrl ?? "",
                    context.Request.Headers["Authorization"],
                    context.Request.ContentType,
                    await reader.ReadToEndAsync()));
            }

            var answer = _script.TryDequeue(out var next)
                ? next
                : new Answer(200, $$"""{"ok":true,"channel":"C1","ts":"1715000000.{{_requests.Count:D6}}","message_ts":"1715000000.{{_requests.Count:D6}}"}""", []);
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = answer.Body?.StartsWith('{') == true ? "application/json; charset=utf-8" : "text/plain";
            var bytes = Encoding.UTF8.GetBytes(answer.Body ?? "");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private sealed record Answer(int Status, string? Body, (string Name, string Value)[] Headers);
}

internal sealed record RecordedRequest(string Method, string RawUrl, string? Authorization, string? ContentType, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    /// <summary>The form fields of a form-encoded body.</summary>
    public Dictionary<string, string> Form => Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "");
}
