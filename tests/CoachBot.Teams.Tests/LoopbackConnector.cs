using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CoachBot.Teams.Tests;

/// <summary>
/// A fake Bot Connector on 127.0.0.1: records every request as it arrived on the wire and answers
/// from a script (then 201 with a new id), so retries and routes are tested over real HTTP.
/// </summary>
internal sealed class LoopbackConnector : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentQueue<Answer> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public LoopbackConnector()
    {
        (_listener, var baseUrl) = Loopback.Listen();
        // A regional path like the real ones (https://smba.trafficmanager.net/amer/).
        ServiceUrl = new Uri(baseUrl, "amer/").AbsoluteUri;
        _loop = Task.Run(ServeAsync);
    }

    public string ServiceUrl { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Queues the next answers, in order.</summary>
    public LoopbackConnector Then(int status, string? body = null, params (string Name, string Value)[] headers)
    {
        _script.Enqueue(new Answer(status, body, headers));
        return this;
    }

    public static string Error(string code) =>
        new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = "details from the service" } }.ToJsonString();

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
                : new Answer(201, $$"""{"id":"activity-{{_requests.Count}}"}""", []);
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = "application/json";
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
}
