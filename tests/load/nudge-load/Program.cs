using System.Diagnostics;
using System.Globalization;
using CoachBot.Coaching.Nudges;
using CoachBot.Storage;
using CoachBot.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// The nudge speed figure: one host on SQLite, N subscriptions (half Slack, half Teams) due at the same instant, fake
// channel APIs answering in 20 ms. Prints start-up time, idle RSS, time until every nudge is posted and peak RSS.
//
//   dotnet run --project tests/load/nudge-load -- PATH/TO/coachbot.dll [COUNT] [PARALLELISM]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: nudge-load PATH/TO/coachbot.dll [COUNT=10000] [PARALLELISM=32]");
    return 2;
}

var dll = Path.GetFullPath(args[0]);
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var parallelism = args.Length > 2 ? args[2] : "32";
var delay = TimeSpan.FromMilliseconds(20);

await using var slack = new NudgeFakeSlackApi(delay);
await using var teams = new FakeTeamsConnector(delay);
await slack.StartAsync();
await teams.StartAsync();
var data = Directory.CreateTempSubdirectory("coachbot-nudge-load-").FullName;
var port = Loopback.FreePort();
var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
start.ArgumentList.Add(dll);
start.ArgumentList.Add("--urls");
start.ArgumentList.Add($"http://127.0.0.1:{port}");
start.Environment["Storage__DataDirectory"] = data;
start.Environment["Slack__SigningSecret"] = "load-secret";
start.Environment["Slack__BotToken"] = "load-token";
start.Environment["Slack__ApiBaseUrl"] = slack.BaseUrl;
start.Environment["Teams__AllowUnauthenticatedLocalClients"] = "true";
start.Environment["Nudges__TickSeconds"] = "1";
start.Environment["Nudges__Parallelism"] = parallelism;
start.Environment["Logging__LogLevel__Default"] = "Warning";

var clock = Stopwatch.StartNew();
using var host = Process.Start(start)!;
host.OutputDataReceived += (_, e) => { if (e.Data is { } l && (l.StartsWith("fail", StringComparison.Ordinal) || l.StartsWith("crit", StringComparison.Ordinal))) { Console.Error.WriteLine("host: " + l); } };
host.ErrorDataReceived += (_, e) => { if (e.Data is { } l) { Console.Error.WriteLine("host stderr: " + l); } };
host.BeginOutputReadLine();
host.BeginErrorReadLine();
try
{
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    while (true)
    {
        try
        {
            if ((await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
            {
                break;
            }
        }
        catch (HttpRequestException) when (!host.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
        }

        if (host.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
        {
            throw new InvalidOperationException("The host did not become ready.");
        }

        await Task.Delay(10);
    }

    var startup = clock.Elapsed;
    await Task.Delay(TimeSpan.FromSeconds(5));
    var idle = Status(host.Id, "VmRSS");

    // Subscribed far in the future, then made due all at once with one UPDATE.
    var configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:DataDirectory"] = data })
        .Build();
    await using (var provider = new ServiceCollection().AddCoachBotStorage(configuration).BuildServiceProvider())
    await using (var scope = provider.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<CoachBotDbContext>();
        var subscriptions = scope.ServiceProvider.GetRequiredService<NudgeSubscriptions>();
        var references = scope.ServiceProvider.GetRequiredService<ConversationReferences>();
        var later = DateTimeOffset.UtcNow.AddDays(30);
        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                await subscriptions.UpsertAsync("slack", "T0001", $"C{i:D8}", new TimeOnly(9, 0), "UTC", NudgeDays.Daily, false, null, later);
            }
            else
            {
                var conversation = $"a:load-{i:D8}";
                await references.UpsertAsync(new ConversationReference
                {
                    ConversationId = conversation, TenantId = "tenant-1", ServiceUrl = teams.ServiceUrl, BotId = "28:bot",
                    ConversationType = ConversationReference.Personal, UserId = $"29:user-{i}",
                });
                await subscriptions.UpsertAsync("teams", "tenant-1", conversation, new TimeOnly(9, 0), "UTC", NudgeDays.Daily, false, null, later);
            }
        }

        var now = DateTimeOffset.UtcNow;
        await db.NudgeSubscriptions.ExecuteUpdateAsync(s => s.SetProperty(n => n.NextDueAt, now));
    }

    var run = Stopwatch.StartNew();
    var peak = 0L;
    while (slack.Delivered.Count + teams.Delivered.Count < count && run.Elapsed < TimeSpan.FromMinutes(5) && !host.HasExited)
    {
        peak = Math.Max(peak, Status(host.Id, "VmHWM"));
        await Task.Delay(50);
    }

    var took = run.Elapsed;
    peak = Math.Max(peak, Status(host.Id, "VmHWM"));
    var posts = slack.Delivered.Concat(teams.Delivered).ToList();
    Console.WriteLine($"subscriptions        {count} (Slack {slack.Delivered.Count}, Teams {teams.Delivered.Count} posted; {posts.Count - posts.Distinct().Count()} twice)");
    Console.WriteLine($"parallelism          {parallelism}, fake latency {delay.TotalMilliseconds} ms");
    Console.WriteLine($"start-up to /readyz  {startup.TotalSeconds:F2} s");
    Console.WriteLine($"idle RSS             {idle / 1024.0:F1} MB");
    Console.WriteLine($"all posted after     {took.TotalSeconds:F1} s (from the moment they were due; ticks every 1 s)");
    Console.WriteLine($"peak RSS (VmHWM)     {peak / 1024.0:F1} MB");
    return posts.Count == count && posts.Distinct().Count() == count ? 0 : 1;
}
finally
{
    if (!host.HasExited)
    {
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
    }

    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(data, recursive: true);
}

static long Status(int pid, string field)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith(field + ":", StringComparison.Ordinal))
        {
            return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture); // kB
        }
    }

    return 0;
}
