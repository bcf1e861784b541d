using System.Diagnostics;
using System.Globalization;
using CoachBot.Coaching.Nudges;
using CoachBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoachBot.Tests;

/// <summary>
/// The database of a crash test, SQLite (in the host's data folder) or PostgreSQL (a fresh database on the test
/// server), with the queries that tell when the bot has nothing left to do.
/// </summary>
internal sealed class CrashDatabase : IAsyncDisposable
{
    private readonly string? _admin;
    private readonly string? _name;

    private CrashDatabase(string? connectionString, string? admin, string? name)
    {
        ConnectionString = connectionString;
        _admin = admin;
        _name = name;
    }

    /// <summary>The PostgreSQL connection string; null on SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>Where a host's SQLite file is, once one is started (SQLite only).</summary>
    public string? SqliteFile { get; set; }

    public static async Task<CrashDatabase> CreateAsync(string provider)
    {
        if (provider == "sqlite")
        {
            return new CrashDatabase(null, null, null);
        }

        var server = CoachBot.TestSupport.TestPeers.PostgresServer();
        var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString;
        var name = "coachbot_crash_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new CrashDatabase(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, admin, name);
    }

    /// <summary>The host settings for this database.</summary>
    public Dictionary<string, string> Settings() =>
        ConnectionString is null ? [] : new() { ["ConnectionStrings__CoachBot"] = ConnectionString };

    public async Task<long> ScalarAsync(string sql)
    {
        if (ConnectionString is null)
        {
            await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={SqliteFile};Mode=ReadOnly;Pooling=False");
            await sqlite.OpenAsync();
            await using var query = sqlite.CreateCommand();
            query.CommandText = sql;
            return Convert.ToInt64(await query.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Inbox items not yet finished.</summary>
    public Task<long> PendingAsync() => ScalarAsync("SELECT COUNT(*) FROM inbox WHERE \"State\" = 'Pending'");

    /// <summary>Subscribes <paramref name="count"/> Slack channels <c>CN0000</c>… and Teams conversations <c>a:nudge-0000</c>…, all due at <paramref name="due"/>.</summary>
    public async Task SubscribeAsync(int count, string teamsServiceUrl, DateTimeOffset due)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:CoachBot"] = ConnectionString })
            .Build();
        await using var provider = new ServiceCollection().AddCoachBotStorage(configuration).BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var subscriptions = scope.ServiceProvider.GetRequiredService<NudgeSubscriptions>();
        var references = scope.ServiceProvider.GetRequiredService<ConversationReferences>();
        var time = TimeOnly.FromDateTime(due.UtcDateTime);
        for (var i = 0; i < count; i++)
        {
            var teams = $"a:nudge-{i:D4}";
            await references.UpsertAsync(new ConversationReference
            {
                ConversationId = teams,
                TenantId = "tenant-1",
                ServiceUrl = teamsServiceUrl,
                BotId = "28:bot",
                ConversationType = ConversationReference.Personal,
                UserId = $"29:user-{i}",
            });
            await subscriptions.UpsertAsync("teams", "tenant-1", teams, time, "UTC", NudgeDays.Daily, false, null, due);
            await subscriptions.UpsertAsync("slack", "T0001", $"CN{i:D4}", time, "UTC", NudgeDays.Daily, false, null, due);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Signed Slack DMs for crash tests: DM <c>i</c> comes from its own channel <c>D000i</c>, so each must get exactly one reply there.</summary>
internal static class CrashDms
{
    public static string Channel(int i) => $"D{i:D6}";

    public static async Task SendAsync(IReadOnlyList<SlackBotHost> hosts, int count)
    {
        // Sent now, so a reply (stamped later by the fake) is never older than the question it answers.
        var ts = CoachBot.Slack.SlackMessageMark.Timestamp(DateTimeOffset.UtcNow.AddSeconds(-1));
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var inner = $$"""{"type":"message","channel":"{{Channel(i)}}","channel_type":"im","user":"U2147483697","text":"Can we get a discount if we sign this week? ({{i}})","ts":"{{ts}}","event_ts":"{{ts}}"}""";
            var envelope = SlackBotHost.Envelope($"Ev{i:D6}", inner);
            for (var attempt = 0; ; attempt++)
            {
                // A host that was killed refuses the connection; like Slack behind a load balancer, try the next one.
                try
                {
                    using var response = await hosts[(i + attempt) % hosts.Count].PostEventAsync(envelope);
                    response.EnsureSuccessStatusCode();
                    return;
                }
                catch (HttpRequestException) when (attempt < hosts.Count)
                {
                }
            }
        });
    }

    /// <summary>The host process (of <paramref name="pids"/>) with a TCP connection from one of these local ports.</summary>
    public static int? ProcessOwning(IReadOnlyCollection<int> ports, IEnumerable<int> pids)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);

        // .NET's sockets are dual-mode IPv6 ones, so connections to 127.0.0.1 show up in tcp6.
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1).Concat(File.ReadLines("/proc/net/tcp6").Skip(1)))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var local = int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (ports.Contains(local))
            {
                inodes.Add($"socket:[{fields[9]}]");
            }
        }

        return inodes.Count == 0 ? null : pids.FirstOrDefault(pid => Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd => Points(fd, inodes))) is var found && found != 0 ? found : null;
    }

    // Sockets come and go while the folder is read; one that went is simply not a match.
    private static bool Points(string fd, HashSet<string> inodes)
    {
        try
        {
            return new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static Stopwatch Clock() => Stopwatch.StartNew();
}
