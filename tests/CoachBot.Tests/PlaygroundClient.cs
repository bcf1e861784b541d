using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CoachBot.Tests;

/// <summary>
/// Microsoft 365 Agents Playground (the npm package in tests/realclients) run as a child node process and driven
/// without a browser, as real-clients.md §1.3 describes: its HTTP API plays the user, and its conversation web socket
/// shows what the bot posted through the playground's mock Bot Connector.
/// </summary>
internal sealed class PlaygroundClient : IAsyncDisposable
{
    private const string InstallHint = "run npm ci --prefix tests/realclients";

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();
    private readonly List<JsonObject> _events = [];
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;

    private PlaygroundClient(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The playground's web page, for a browser.</summary>
    public Uri PageUrl => Http.BaseAddress!;

    public string BotId { get; private set; } = "";

    public string UserId { get; private set; } = "";

    public string PersonalChatId { get; private set; } = "";

    public string GroupChatId { get; private set; } = "";

    public string TeamChannelId { get; private set; } = "";

    /// <summary>What the playground printed and logged, for failure messages.</summary>
    public string Diagnostics
    {
        get
        {
            string output;
            lock (_output)
            {
                output = _output.ToString();
            }

            var logFile = Path.Combine(_folder, "playground.log");
            var log = File.Exists(logFile) ? File.ReadAllText(logFile) : "(no log file)";
            return $"playground output:\n{TeamsBotHost.Tail(output)}\nplayground log:\n{TeamsBotHost.Tail(log)}";
        }
    }

    /// <summary>Starts the playground pointed at <paramref name="botEndpoint"/> and waits until it answers, with the conversation socket open.</summary>
    public static async Task<PlaygroundClient> StartAsync(string botEndpoint)
    {
        var cli = Path.Combine(Repo.Root, "tests", "realclients", "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"The Agents Playground is not installed ({cli} is missing): {InstallHint}.");
        }

        var node = FindOnPath("node")
            ?? throw new InvalidOperationException($"node is not on PATH; the Agents Playground needs Node.js 20 or later ({InstallHint} after installing it).");
        var folder = Directory.CreateTempSubdirectory("coachbot-playground-").FullName;
        var port = Loopback.FreePort();
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // It writes ./devTools and reads ./.m365agentsplayground.yml: keep both in the test's own folder.
            WorkingDirectory = folder,
        };
        foreach (var arg in new[] { cli, "-e", botEndpoint, "-c", "msteams", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--disable-telemetry" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TEAMSAPPTESTER_BROWSER"] = "none";
        start.Environment["M365_AGENTS_PLAYGROUND_LOGFILE"] = Path.Combine(folder, "playground.log");
        start.Environment["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] = Path.Combine(folder, ".m365agentsplayground.yml");

        var client = new PlaygroundClient(Process.Start(start)!, folder);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Capture(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (client._output)
            {
                client._output.AppendLine(e.Data);
            }

            // It falls back to a random port when the asked-for one is taken, and says which it got.
            const string Prefix = "Listening on ";
            if (e.Data.StartsWith(Prefix, StringComparison.Ordinal) && int.TryParse(e.Data.AsSpan(Prefix.Length).Trim(), out var actual))
            {
                listening.TrySetResult(actual);
            }
        }

        client._process.OutputDataReceived += Capture;
        client._process.ErrorDataReceived += Capture;
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        try
        {
            await client.ConnectAsync(await WaitListeningAsync(client, listening.Task));
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>A position in the stream of bot-side events; later waits look only at what came after it.</summary>
    public int Mark()
    {
        lock (_events)
        {
            return _events.Count;
        }
    }

    /// <summary>Everything posted in <paramref name="conversationId"/> (or a thread of it) by the bot since <paramref name="mark"/>.</summary>
    public IReadOnlyList<JsonObject> BotMessages(string conversationId, int mark = 0)
    {
        lock (_events)
        {
            return [.. _events.Skip(mark).Where(e => IsBotMessage(e, conversationId)).Select(e => e["message"]!.AsObject())];
        }
    }

    /// <summary>Waits for the first bot message since <paramref name="mark"/> that carries an Adaptive Card, and returns the card.</summary>
    public async Task<JsonObject> WaitForCardAsync(string conversationId, int mark, Func<JsonObject, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var card = BotMessages(conversationId, mark)
                .SelectMany(m => m["attachments"]?.AsArray() ?? [])
                .OfType<JsonObject>()
                .Where(a => a["contentType"]?.GetValue<string>() == "application/vnd.microsoft.card.adaptive")
                .Select(a => a["content"]!.AsObject())
                .FirstOrDefault(c => match?.Invoke(c) ?? true);
            if (card is not null)
            {
                return card;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"No matching Adaptive Card from the bot in conversation {conversationId} within the deadline. "
                    + $"Bot messages seen: {BotMessages(conversationId, mark).Count}.\n{Diagnostics}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The user's install in the personal chat, as the UI sends it on load (installationUpdate + conversationUpdate).</summary>
    public async Task InstallAsync(string conversationId)
    {
        using var response = await Http.PostAsJsonAsync($"/_debug/conversation/{conversationId}/installation", new JsonObject());
        await EnsureOkAsync(response, "install");
    }

    /// <summary>The user types <paramref name="text"/>; with <paramref name="mention"/> it starts with an @mention of the bot.</summary>
    public async Task SendAsync(string conversationId, string text, bool mention = false)
    {
        var body = new JsonObject
        {
            ["from"] = new JsonObject { ["id"] = UserId },
            ["text"] = mention ? "<at>Test Bot</at> " + text : text,
            ["textFormat"] = "plain",
        };
        if (mention)
        {
            body["mentions"] = new JsonArray(new JsonObject
            {
                ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "Test Bot" },
                ["text"] = "<at>Test Bot</at>",
            });
        }

        using var response = await Http.PostAsJsonAsync($"/_conversation/v1/conversations/{conversationId}/messages", body);
        await EnsureOkAsync(response, "send");
    }

    /// <summary>Presses an <c>Action.Execute</c> button on a card; returns the invoke response the playground got from the bot.</summary>
    public async Task<JsonObject> PressAsync(string conversationId, string replyToId, JsonObject action)
    {
        var body = new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["conversation"] = new JsonObject { ["id"] = conversationId },
            ["from"] = new JsonObject { ["id"] = UserId },
            ["replyToId"] = replyToId,
            ["value"] = new JsonObject
            {
                ["action"] = new JsonObject
                {
                    ["type"] = "Action.Execute",
                    ["verb"] = action["verb"]!.DeepClone(),
                    ["data"] = action["data"]!.DeepClone(),
                },
            },
        };
        using var response = await Http.PostAsJsonAsync("/_conversation/v1/invoke", body);
        await EnsureOkAsync(response, "invoke");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())?.AsObject()
            ?? throw new InvalidOperationException("The playground's invoke answer was empty.");
    }

    /// <summary>The Log Panel feed (<c>/_ws/log/stream</c>, replayed from the start): every request either way, with its status.</summary>
    public async Task<IReadOnlyList<JsonObject>> ReadLogAsync(Func<IReadOnlyList<JsonObject>, bool> enough, TimeSpan timeout)
    {
        using var socket = new ClientWebSocket();
        using var cancel = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(new Uri(WebSocketBase + "/_ws/log/stream"), cancel.Token);
        var entries = new List<JsonObject>();
        try
        {
            while (!enough(entries))
            {
                if (await ReceiveAsync(socket, cancel.Token) is not { } text)
                {
                    break;
                }

                if (JsonNode.Parse(text)?["log"] is JsonObject log)
                {
                    entries.Add(log);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The playground's log stream did not show what was expected in time ({entries.Count} entries).\n{Diagnostics}");
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reader is not null)
        {
            try
            {
                await _reader;
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                // The socket ends with the process.
            }
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the temp cleaner.
        }
    }

    private string WebSocketBase => "ws://127.0.0.1:" + Http.BaseAddress!.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool IsBotMessage(JsonObject e, string conversationId)
    {
        if (e["action"]?.GetValue<string>() != "createMessage" || e["message"]?["from"]?["id"]?.GetValue<string>() != BotId)
        {
            return false;
        }

        // A channel post's replies land in "<channel>;messageid=<root>", the thread the playground opened for it.
        var where = e["actionConversationId"]?.GetValue<string>() ?? "";
        return where == conversationId || where.StartsWith(conversationId + ";messageid=", StringComparison.Ordinal);
    }

    private static async Task<int> WaitListeningAsync(PlaygroundClient client, Task<int> listening)
    {
        var winner = await Task.WhenAny(listening, client._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (winner != listening)
        {
            throw new InvalidOperationException(
                $"The Agents Playground did not start (exited: {client._process.HasExited}); {InstallHint} if it is missing or broken.\n{client.Diagnostics}");
        }

        return await listening;
    }

    private async Task ConnectAsync(int port)
    {
        Http.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                if (await Http.GetStringAsync(new Uri("/_debug/ping", UriKind.Relative)) == "pong")
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not serving yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The Agents Playground never answered /_debug/ping.\n" + Diagnostics);
            }

            await Task.Delay(50);
        }

        // Also runs the playground's HEAD probe of the bot, so the host must already be up.
        var config = (await Http.GetFromJsonAsync<JsonObject>(new Uri("/_internal/v1/config", UriKind.Relative)))?["config"]
            ?? throw new InvalidOperationException("The playground's /_internal/v1/config has no config.\n" + Diagnostics);
        BotId = config["bot"]!["id"]!.GetValue<string>();
        UserId = config["currentUser"]!["id"]!.GetValue<string>();
        PersonalChatId = config["personalChat"]!["id"]!.GetValue<string>();
        GroupChatId = config["groupChats"]![0]!["id"]!.GetValue<string>();
        TeamChannelId = config["teams"]![0]!["channels"]![0]!["id"]!.GetValue<string>();

        // Open before anything is sent: the conversation stream does not replay.
        await _socket.ConnectAsync(new Uri(WebSocketBase + "/_ws_conversation/v1/conversations/stream"), _stop.Token);
        _reader = Task.Run(ReadEventsAsync);
    }

    private async Task ReadEventsAsync()
    {
        while (await ReceiveAsync(_socket, _stop.Token) is { } text)
        {
            if (JsonNode.Parse(text) is JsonObject e)
            {
                lock (_events)
                {
                    _events.Add(e);
                }
            }
        }
    }

    /// <summary>One whole text message (frames joined); null when the socket closed.</summary>
    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }

    private async Task EnsureOkAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The playground answered {what} with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Diagnostics}");
        }
    }

    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
