using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoachBot.Slack;

namespace CoachBot.Tests;

/// <summary>
/// The real host on 127.0.0.1 with Slack on, fed signed requests like Slack sends them. Its data folder survives
/// <see cref="KillAsync"/> so a test can restart it on the same database, as after a crash.
/// </summary>
internal sealed class SlackBotHost : IAsyncDisposable
{
    public const string Secret = "e2e-signing-secret";
    public const string BotToken = "e2e-bot-token";

    private readonly Dictionary<string, string> _environment;
    private readonly SlackSignatureVerifier _signer = new(Secret, TimeProvider.System);
    private Process _process;

    private SlackBotHost(Process process, int port, string dataDirectory, Dictionary<string, string> environment, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        Output = output;
        _process = process;
        _environment = environment;
        Port = port;
        DataDirectory = dataDirectory;
        Http = NewClient(port, followRedirects: true);
    }

    public int Port { get; }

    /// <summary>The host process now (a new one after <see cref="RestartAsync"/>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Everything the host has written to standard output and error (logs, console telemetry).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, "coachbot.db");

    /// <param name="oauth">Multi-workspace mode: client id and secret instead of a bot token.</param>
    public static Task<SlackBotHost> StartAsync(FakeSlackApi slack, bool oauth = false, IDictionary<string, string>? settings = null) =>
        StartAsync(slack.BaseUrl, oauth, settings);

    /// <param name="apiBaseUrl">Slack's Web API as the host is to call it (a fake's <c>/api/</c>).</param>
    public static async Task<SlackBotHost> StartAsync(string apiBaseUrl, bool oauth = false, IDictionary<string, string>? settings = null)
    {
        var port = Loopback.FreePort();
        var data = Directory.CreateTempSubdirectory("coachbot-e2e-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Slack__SigningSecret"] = Secret,
            ["Slack__ApiBaseUrl"] = apiBaseUrl,
            ["Storage__DataDirectory"] = data,
        };
        if (oauth)
        {
            environment["Slack__ClientId"] = "111.222";
            environment["Slack__ClientSecret"] = "e2e-client-secret";
        }
        else
        {
            environment["Slack__BotToken"] = BotToken;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var host = new SlackBotHost(CoachBotProcess.StartHost(port, environment, output: output), port, data, environment, output);
        await host.WaitReadyAsync();
        return host;
    }

    public static HttpClient NewClient(int port, bool followRedirects) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

    /// <summary>Kills the process at once (no graceful shutdown), keeping its database.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task RestartAsync()
    {
        _process.Dispose();
        _process = CoachBotProcess.StartHost(Port, _environment, output: Output);
        await WaitReadyAsync();
    }

    public Task<HttpResponseMessage> PostEventAsync(string json, int retry = 0, DateTimeOffset? at = null) =>
        PostSignedAsync("/slack/events", json, "application/json", retry, at);

    public Task<HttpResponseMessage> PostFormAsync(string path, string form) =>
        PostSignedAsync(path, form, "application/x-www-form-urlencoded");

    /// <summary>A slash command as Slack sends it: a signed form with a response_url on the fake.</summary>
    public Task<HttpResponseMessage> CommandAsync(FakeSlackApi slack, string text, string responseId, string channel = "C024BE91L") =>
        PostFormAsync("/slack/commands", Form(
            ("token", "x"), ("team_id", "T0001"), ("team_domain", "acme"), ("channel_id", channel), ("channel_name", "sales"),
            ("user_id", "U2147483697"), ("user_name", "rep"), ("command", "/coach"), ("text", text),
            ("api_app_id", "A0001"), ("response_url", slack.ResponseUrl(responseId)), ("trigger_id", "trig-" + responseId)));

    /// <summary>A button press on a message the bot posted, as Slack's <c>block_actions</c> payload.</summary>
    public Task<HttpResponseMessage> PressAsync(
        FakeSlackApi slack, string actionId, string value, string messageTs, string responseId, string channel = "D024BE91L", bool ephemeral = false) =>
        PostFormAsync("/slack/interactive", Form(("payload", $$"""
            {"type":"block_actions","team":{"id":"T0001","domain":"acme"},"user":{"id":"U2147483697"},"api_app_id":"A0001",
             "trigger_id":"trig-{{responseId}}","container":{"type":"message","message_ts":"{{messageTs}}","channel_id":"{{channel}}","is_ephemeral":{{(ephemeral ? "true" : "false")}}},
             "channel":{"id":"{{channel}}"},"message":{"type":"message","ts":"{{messageTs}}","text":"coaching"},
             "response_url":"{{slack.ResponseUrl(responseId)}}",
             "actions":[{"action_id":"{{actionId}}","block_id":"coach_feedback","value":"{{value}}","type":"button","action_ts":"1700000100.000001"}]}
            """)));

    public async Task<HttpResponseMessage> PostSignedAsync(string path, string body, string contentType, int retry = 0, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", _signer.Sign(Encoding.UTF8.GetBytes(body), timestamp));
        if (retry > 0)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await Http.SendAsync(request);
    }

    /// <summary>One value from the host's SQLite database, read the way an operator would.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>A well-formed request signed with the wrong secret.</summary>
    public async Task<HttpResponseMessage> PostForgedAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/slack/events", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Slack-Signature", new SlackSignatureVerifier("not-the-secret", TimeProvider.System).Sign(Encoding.UTF8.GetBytes(json), timestamp));
        return await Http.SendAsync(request);
    }

    public static string Form(params (string Key, string Value)[] fields) =>
        string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    public static string DmEvent(string eventId, string ts, string text) => Envelope(eventId,
        $$"""{"type":"message","channel":"D024BE91L","channel_type":"im","user":"U2147483697","text":{{System.Text.Json.JsonSerializer.Serialize(text)}},"ts":"{{ts}}","event_ts":"{{ts}}"}""");

    public static string MentionEvent(string eventId, string ts, string text) => Envelope(eventId,
        $$"""{"type":"app_mention","channel":"C024BE91L","user":"U2147483697","text":{{System.Text.Json.JsonSerializer.Serialize(text)}},"ts":"{{ts}}","event_ts":"{{ts}}"}""");

    public static string Envelope(string eventId, string inner) =>
        $$"""{"token":"x","team_id":"T0001","api_app_id":"A0001","type":"event_callback","event_id":"{{eventId}}","event_time":1700000000,"authorizations":[{"team_id":"T0001","user_id":"U0BOT","is_bot":true}],"event":{{inner}}}""";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
        Http.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private async Task WaitReadyAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await Http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (attempt < 300 && !_process.HasExited)
            {
            }

            if (_process.HasExited || attempt >= 300)
            {
                throw new InvalidOperationException("The host did not become ready.");
            }

            await Task.Delay(100);
        }
    }
}
