// Slack's side of a Slack load run, as a file-based app (no packages):
//   dotnet run tests/load/SlackLoadPeer.cs -- <apiPort> <outputFolder> <signingSecret> <events> [options]
// options:
//   --channels N        DM channels the events are spread over, round-robin (default: events / 20, at least 1)
//   --questions FILE    TSV with a header row and the text in column 2 (default: ../shared/devset/questions.tsv)
//   --top-level         top-level DMs instead of thread replies (see "Distinct posts" below)
//   --post-delay-ms N   answer chat.postMessage only after N ms, as the real Web API's latency would (default 0)
//
// 1. It signs <events> distinct Slack event_callback message.im events plus one probe event, each with its own
//    event_id and its own (channel, ts), exactly as Slack would (v0 HMAC-SHA256 over "v0:{timestamp}:{body}" with
//    <signingSecret>). Every event is signed with the current time, and the host refuses timestamps more than
//    300 s away: run the load within a few minutes of generation (slack-load.sh starts it right after).
// 2. It writes into <outputFolder>: requests.txt (one request a line: signature TAB timestamp TAB body; bodies are
//    single-line JSON), probe.txt (one more event, same format, sent once before the load), info.txt, and last, ready.
// 3. It serves a fake Slack Web API on http://127.0.0.1:<apiPort>/api/ (a raw socket HTTP/1.1 server: keep-alive,
//    Content-Length bodies) until killed: chat.postMessage answers ok:true with a ts; auth.test and users.info
//    answer like Slack; any other method answers {"ok":true}. GET /counts gives the counts as JSON.
//
// Distinct posts: a post's key is (channel, thread_ts), or (channel, text) when it has no thread_ts. By default each
// event is a DM thread reply under its own parent ts, so the bot's reply carries thread_ts and the key is unique per
// event: distinct == posts means no event was answered twice, and "foreign" counts posts whose (channel, thread_ts)
// matches no generated event. With --top-level the bot's DM replies carry no reference to the message they answer,
// and two different questions can get the same advice, so distinct is then only a lower bound.
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

const string Usage =
    "usage: dotnet run tests/load/SlackLoadPeer.cs -- <apiPort> <outputFolder> <signingSecret> <events> " +
    "[--channels N] [--questions FILE] [--top-level] [--post-delay-ms N]";

if (args.Length < 4 || !int.TryParse(args[0], out var port) || !int.TryParse(args[3], out var events) || events < 1)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var output = Directory.CreateDirectory(args[1]).FullName;
var secret = args[2];
var channels = Math.Max(1, events / 20);
var questionsPath = AppContext.GetData("EntryPointFileDirectoryPath") is string here
    ? Path.Combine(here, "../../../shared/devset/questions.tsv")
    : "../shared/devset/questions.tsv";
var threaded = true;
var postDelay = 0;
for (var i = 4; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--channels" when i + 1 < args.Length && int.TryParse(args[i + 1], out var c) && c > 0:
            channels = c;
            i++;
            break;
        case "--questions" when i + 1 < args.Length:
            questionsPath = args[++i];
            break;
        case "--top-level":
            threaded = false;
            break;
        case "--post-delay-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], out var d) && d >= 0:
            postDelay = d;
            i++;
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete option {args[i]}\n{Usage}");
            return 2;
    }
}

var questions = File.ReadLines(questionsPath)
    .Skip(1)
    .Select(line => line.Split('\t'))
    .Where(columns => columns.Length >= 2 && columns[1].Trim().Length > 0)
    .Select(columns => columns[1].Trim())
    .ToArray();
if (questions.Length == 0)
{
    Console.Error.WriteLine($"no questions in {questionsPath}");
    return 2;
}

var signedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
var plan = new EventPlan(events, channels, signedAt, threaded);

// Slack's JSON escaping: quotes and control characters only; UTF-8 stays as it is.
var questionJson = questions.Select(q => "\"" + JsonEncodedText.Encode(q, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"").ToArray();
var key = Encoding.UTF8.GetBytes(secret);
var stamp = signedAt.ToString(CultureInfo.InvariantCulture);
var runTag = Convert.ToHexString(RandomNumberGenerator.GetBytes(3));

string Request(long k)
{
    var channel = plan.Channel(k);
    var user = "UL" + channel[2..];

    // Within one channel the j-th event asks question (channel + j): no channel repeats a question before it has
    // asked them all, so top-level replies to one channel differ wherever the advice differs.
    var question = questionJson[(int)((k % channels + k / channels) % questionJson.Length)];
    var ts = plan.Ts(k);
    var thread = threaded ? $"\"thread_ts\":\"{plan.ThreadTs(k)}\"," : "";
    var body =
        "{\"token\":\"x\",\"team_id\":\"T0001\",\"api_app_id\":\"A0001\",\"type\":\"event_callback\"," +
        $"\"event_id\":\"EvL{runTag}{k:D9}\",\"event_time\":{stamp}," +
        "\"authorizations\":[{\"team_id\":\"T0001\",\"user_id\":\"U0BOT\",\"is_bot\":true}]," +
        $"\"event\":{{\"type\":\"message\",\"channel\":\"{channel}\",\"channel_type\":\"im\",\"user\":\"{user}\"," +
        $"\"client_msg_id\":\"{Guid.NewGuid()}\",\"text\":{question},\"ts\":\"{ts}\",{thread}\"event_ts\":\"{ts}\"}}}}";
    var basestring = Encoding.UTF8.GetBytes($"v0:{stamp}:{body}");
    var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, basestring));
    return $"{signature}\t{stamp}\t{body}\n";
}

var started = System.Diagnostics.Stopwatch.StartNew();
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using (var writer = new StreamWriter(Path.Combine(output, "requests.txt"), append: false, utf8, bufferSize: 1 << 20))
{
    for (long k = 0; k < events; k++)
    {
        writer.Write(Request(k));
    }
}

// The probe is event number <events>: the load file never contains it, so sending it once is new work.
File.WriteAllText(Path.Combine(output, "probe.txt"), Request(events), utf8);
var generation = started.Elapsed;

var fake = new FakeSlack(plan, postDelay);
using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
listener.Listen(1024);

File.WriteAllText(
    Path.Combine(output, "info.txt"),
    $"events={events}\nchannels={channels}\nsigned_at={signedAt}\nthreaded={(threaded ? 1 : 0)}\n" +
    $"post_delay_ms={postDelay}\napi=http://127.0.0.1:{port}/api/\nquestions={questions.Length}\n");
File.WriteAllText(Path.Combine(output, "ready"), "");
Console.WriteLine(
    $"{events} signed events over {channels} channels ({(threaded ? "thread replies" : "top-level DMs")}) written to " +
    $"{output} in {generation.TotalSeconds:F1} s; fake Slack Web API on http://127.0.0.1:{port}/api/");

while (true)
{
    var socket = await listener.AcceptAsync();
    socket.NoDelay = true;
    _ = Task.Run(() => fake.ServeAsync(socket));
}

/// <summary>Which channel, ts and thread_ts event number k has; the fake checks posts against it.</summary>
internal sealed class EventPlan(long events, int channels, long signedAt, bool threaded)
{
    // Parent messages of the threads are a day older than the replies: no parent ts is any event's own ts.
    private const long ThreadAge = 86_400;

    public long Events => events;

    public bool Threaded => threaded;

    public string Channel(long k) => "DL" + (k % channels).ToString("D7", CultureInfo.InvariantCulture);

    public string Ts(long k) => Stamp(signedAt, k);

    public string ThreadTs(long k) => Stamp(signedAt - ThreadAge, k);

    /// <summary>True when (channel, threadTs) is one of the generated events (the probe included).</summary>
    public bool IsOurs(string channel, string? threadTs)
    {
        if (!threaded)
        {
            return channel.Length == 9 && channel.StartsWith("DL", StringComparison.Ordinal)
                && int.TryParse(channel.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c < channels;
        }

        var dot = threadTs?.IndexOf('.') ?? -1;
        if (threadTs is null || dot < 0
            || !long.TryParse(threadTs.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !long.TryParse(threadTs.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var micros))
        {
            return false;
        }

        var k = ((seconds - (signedAt - ThreadAge)) * 1_000_000) + micros;
        return k >= 0 && k <= events && ThreadTs(k) == threadTs && Channel(k) == channel;
    }

    // Slack's ts is seconds.microseconds; a million events a second keeps every one distinct.
    private static string Stamp(long baseSeconds, long k) =>
        string.Create(CultureInfo.InvariantCulture, $"{baseSeconds + (k / 1_000_000)}.{k % 1_000_000:D6}");
}

/// <summary>The fake Web API: a minimal HTTP/1.1 server over raw sockets, and the counts.</summary>
internal sealed class FakeSlack(EventPlan plan, int postDelayMs)
{
    private const int MaxRequest = 8 << 20;

    private static readonly byte[] AuthTest = Encoding.UTF8.GetBytes(
        "{\"ok\":true,\"url\":\"https://load.slack.invalid/\",\"team\":\"Load\",\"user\":\"coachbot\"," +
        "\"team_id\":\"T0001\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\",\"is_enterprise_install\":false}");

    private static readonly byte[] Ok = Encoding.UTF8.GetBytes("{\"ok\":true}");
    private static readonly byte[] UnknownMethod = Encoding.UTF8.GetBytes("{\"ok\":false,\"error\":\"unknown_method\"}");

    private readonly ConcurrentDictionary<string, byte> _distinct = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);
    private readonly long _tsBase = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private long _posts;
    private long _duplicates;
    private long _foreign;
    private long _badRequests;
    private long _firstPostMs;
    private long _lastPostMs;

    public async Task ServeAsync(Socket socket)
    {
        var buffer = new byte[16 * 1024];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                int headerEnd;
                while ((headerEnd = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    (buffer, start, end) = await FillAsync(socket, buffer, start, end);
                    if (end < 0)
                    {
                        return;
                    }
                }

                var head = Encoding.ASCII.GetString(buffer, start, headerEnd);
                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                if (requestLine.Length != 3)
                {
                    Interlocked.Increment(ref _badRequests);
                    return;
                }

                var (method, target) = (requestLine[0], requestLine[1]);
                long contentLength = 0;
                var close = false;
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        continue;
                    }

                    var name = line.AsSpan(0, colon).Trim();
                    var value = line.AsSpan(colon + 1).Trim();
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    {
                        contentLength = long.Parse(value, CultureInfo.InvariantCulture);
                    }
                    else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                    {
                        // HttpClient sends Content-Length for the string and form bodies the bot uses; chunked would be a change worth seeing.
                        Interlocked.Increment(ref _badRequests);
                        await SendAsync(socket, 501, UnknownMethod, close: true);
                        return;
                    }
                    else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Equals("close", StringComparison.OrdinalIgnoreCase))
                    {
                        close = true;
                    }
                    else if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase) && value.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                    {
                        await socket.SendAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray());
                    }
                }

                if (contentLength is < 0 or > MaxRequest)
                {
                    Interlocked.Increment(ref _badRequests);
                    await SendAsync(socket, 413, UnknownMethod, close: true);
                    return;
                }

                start += headerEnd + 4;
                while (end - start < contentLength)
                {
                    (buffer, start, end) = await FillAsync(socket, buffer, start, end);
                    if (end < 0)
                    {
                        return;
                    }
                }

                var body = buffer.AsMemory(start, (int)contentLength);
                start += (int)contentLength;
                var (status, answer) = await AnswerAsync(method, target, body);
                await SendAsync(socket, status, answer, close);
                if (close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or FormatException)
        {
            // The bot closed its connection (or sent something this fake does not speak); nothing to answer.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private async Task<(int Status, byte[] Body)> AnswerAsync(string method, string target, ReadOnlyMemory<byte> body)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        if (method == "GET" && path == "/counts")
        {
            return (200, Counts());
        }

        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            return (404, UnknownMethod);
        }

        var api = path["/api/".Length..];
        _calls.AddOrUpdate(api, 1, static (_, n) => n + 1);
        switch (api)
        {
            case "chat.postMessage":
                if (postDelayMs > 0)
                {
                    await Task.Delay(postDelayMs);
                }

                return (200, Post(body.Span));
            case "auth.test":
                return (200, AuthTest);
            case "users.info":
                return (200, Encoding.UTF8.GetBytes(
                    "{\"ok\":true,\"user\":{\"id\":\"U0\",\"name\":\"rep\",\"tz\":\"Europe/Berlin\",\"tz_offset\":3600,\"is_bot\":false}}"));
            default:
                return (200, Ok);
        }
    }

    private byte[] Post(ReadOnlySpan<byte> body)
    {
        string? channel = null, threadTs = null, text = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                    continue;
                }

                switch (name)
                {
                    case "channel":
                        channel = reader.GetString();
                        break;
                    case "thread_ts":
                        threadTs = reader.GetString();
                        break;
                    case "text":
                        text = reader.GetString();
                        break;
                    default:
                        break;
                }
            }
        }
        catch (JsonException)
        {
            Interlocked.Increment(ref _badRequests);
            return Encoding.UTF8.GetBytes("{\"ok\":false,\"error\":\"invalid_json\"}");
        }

        if (string.IsNullOrEmpty(channel))
        {
            Interlocked.Increment(ref _badRequests);
            return Encoding.UTF8.GetBytes("{\"ok\":false,\"error\":\"channel_not_found\"}");
        }

        var number = Interlocked.Increment(ref _posts);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Interlocked.CompareExchange(ref _firstPostMs, now, 0);
        Interlocked.Exchange(ref _lastPostMs, now);

        var key = threadTs is not null
            ? channel + "|" + threadTs
            : channel + "|#" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text ?? "")), 0, 16);
        if (!_distinct.TryAdd(key, 0))
        {
            Interlocked.Increment(ref _duplicates);
        }

        if (!plan.IsOurs(channel, threadTs))
        {
            Interlocked.Increment(ref _foreign);
        }

        var ts = string.Create(CultureInfo.InvariantCulture, $"{_tsBase + (number / 1_000_000)}.{number % 1_000_000:D6}");
        return Encoding.UTF8.GetBytes($"{{\"ok\":true,\"channel\":\"{channel}\",\"ts\":\"{ts}\",\"message\":{{\"type\":\"message\",\"ts\":\"{ts}\"}}}}");
    }

    private byte[] Counts()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("posts", Interlocked.Read(ref _posts));
            json.WriteNumber("distinct", _distinct.Count);
            json.WriteNumber("duplicates", Interlocked.Read(ref _duplicates));
            json.WriteNumber("foreign", Interlocked.Read(ref _foreign));
            json.WriteNumber("bad_requests", Interlocked.Read(ref _badRequests));
            json.WriteNumber("first_post_ms", Interlocked.Read(ref _firstPostMs));
            json.WriteNumber("last_post_ms", Interlocked.Read(ref _lastPostMs));
            json.WriteNumber("events", plan.Events);
            json.WriteBoolean("threaded", plan.Threaded);
            json.WriteStartObject("calls");
            foreach (var (name, count) in _calls.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(name, count);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static async Task SendAsync(Socket socket, int status, byte[] body, bool close)
    {
        var reason = status switch { 200 => "OK", 404 => "Not Found", 413 => "Payload Too Large", _ => "Not Implemented" };
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\n" +
            (close ? "Connection: close\r\n\r\n" : "\r\n"));
        var response = new byte[head.Length + body.Length];
        head.CopyTo(response, 0);
        body.CopyTo(response, head.Length);
        await socket.SendAsync(response);
    }

    /// <summary>Reads more bytes, compacting or growing the buffer first; end is -1 when the peer closed.</summary>
    private static async Task<(byte[] Buffer, int Start, int End)> FillAsync(Socket socket, byte[] buffer, int start, int end)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            (end, start) = (end - start, 0);
        }

        if (end == buffer.Length)
        {
            if (buffer.Length >= MaxRequest + (64 * 1024))
            {
                return (buffer, 0, -1);
            }

            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var read = await socket.ReceiveAsync(buffer.AsMemory(end));
        return read == 0 ? (buffer, 0, -1) : (buffer, 0, end + read);
    }
}
