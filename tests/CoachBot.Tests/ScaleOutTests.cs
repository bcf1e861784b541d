using System.Diagnostics;
using System.Globalization;
using CoachBot.Coaching.Nudges;
using CoachBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoachBot.Tests;

/// <summary>
/// Two real host processes on one PostgreSQL database (fresh per test) with Quartz clustered: 500 nudges due in the
/// same minute, 250 to Slack channels and 250 to Teams conversations, each go out exactly once, also when the host
/// that is sending is killed with posts in flight.
/// </summary>
public sealed class ScaleOutTests
{
    private const int PerChannel = 250;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FakeDelay = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Two_hosts_on_one_database_post_each_of_500_due_nudges_exactly_once()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(parallelism: 16);

        await cluster.SubscribeAllAsync();
        await cluster.WaitSettledAsync();

        cluster.AssertEachPostedOnce();
    }

    [Fact]
    public async Task Killing_the_sending_host_mid_run_still_posts_each_of_500_nudges_exactly_once()
    {
        await using var cluster = await ScaleOutCluster.StartAsync(parallelism: 4);
        var gate = new FakePostingGate(holdAfter: 150, () => cluster.Slack.Delivered.Count + cluster.Teams.Delivered.Count);
        cluster.Slack.Gate = gate;
        cluster.Teams.Gate = gate;

        await cluster.SubscribeAllAsync();
        var deadline = DateTime.UtcNow + Deadline;
        while (gate.HeldPorts.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "No post was held: the run never reached the gate.");
            await Task.Delay(20);
        }

        var sender = cluster.HostOwningPort([.. gate.HeldPorts.Keys]);
        Assert.NotNull(sender);
        await sender.KillAsync();
        gate.Open();
        await cluster.WaitSettledAsync();

        Assert.True(cluster.Slack.Abandoned + cluster.Teams.Abandoned > 0, "The kill did not catch a post in flight.");
        cluster.AssertEachPostedOnce();
    }

    /// <summary>The fakes, the database and the two hosts of one test; disposing stops and removes them all.</summary>
    private sealed class ScaleOutCluster : IAsyncDisposable
    {
        private readonly string _admin;
        private readonly string _database;
        private readonly List<ScaleOutHost> _hosts = [];

        private ScaleOutCluster(string admin, string database, string connectionString)
        {
            _admin = admin;
            _database = database;
            ConnectionString = connectionString;
        }

        public NudgeFakeSlackApi Slack { get; } = new(FakeDelay);

        public FakeTeamsConnector Teams { get; } = new(FakeDelay);

        public string ConnectionString { get; }

        public static async Task<ScaleOutCluster> StartAsync(int parallelism)
        {
            var server = Environment.GetEnvironmentVariable("COACHBOT_TEST_POSTGRES");
            if (string.IsNullOrWhiteSpace(server))
            {
                throw new InvalidOperationException("Scale-out tests need COACHBOT_TEST_POSTGRES; run eval \"$(.ci/postgres-up)\" first (see README)");
            }

            var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString;
            var name = "coachbot_scale_" + Guid.NewGuid().ToString("N")[..12];
            var cluster = new ScaleOutCluster(admin, name, new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
            try
            {
                await cluster.AdminAsync($"CREATE DATABASE \"{name}\"");
                await cluster.Slack.StartAsync();
                await cluster.Teams.StartAsync();
                var environment = new Dictionary<string, string>
                {
                    ["ConnectionStrings__CoachBot"] = cluster.ConnectionString,
                    ["Slack__SigningSecret"] = SlackBotHost.Secret,
                    ["Slack__BotToken"] = SlackBotHost.BotToken,
                    ["Slack__ApiBaseUrl"] = cluster.Slack.BaseUrl,
                    ["Teams__AllowUnauthenticatedLocalClients"] = "true",
                    ["Nudges__TickSeconds"] = "2",
                    ["Nudges__LeaseSeconds"] = "5",
                    ["Nudges__Parallelism"] = parallelism.ToString(CultureInfo.InvariantCulture),
                    ["Logging__LogLevel__Default"] = "Warning",
                };

                // Both at once, on an empty database: migrations and Quartz's schema must cope with a twin starting.
                cluster._hosts.AddRange(await Task.WhenAll(ScaleOutHost.StartAsync(environment), ScaleOutHost.StartAsync(environment)));
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        /// <summary>250 Slack channels and 250 Teams conversations, all due a few seconds from now.</summary>
        public async Task SubscribeAllAsync()
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:CoachBot"] = ConnectionString })
                .Build();
            var services = new ServiceCollection().AddCoachBotStorage(configuration);
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var subscriptions = scope.ServiceProvider.GetRequiredService<NudgeSubscriptions>();
            var references = scope.ServiceProvider.GetRequiredService<ConversationReferences>();
            var due = DateTimeOffset.UtcNow.AddSeconds(3);
            var time = TimeOnly.FromDateTime(due.UtcDateTime);
            for (var i = 0; i < PerChannel; i++)
            {
                var teams = $"a:scale-{i:D4}";
                await references.UpsertAsync(new ConversationReference
                {
                    ConversationId = teams,
                    TenantId = "tenant-1",
                    ServiceUrl = Teams.ServiceUrl,
                    BotId = "28:bot",
                    ConversationType = ConversationReference.Personal,
                    UserId = $"29:user-{i}",
                });
                await subscriptions.UpsertAsync("teams", "tenant-1", teams, time, "UTC", NudgeDays.Daily, false, null, due);
                await subscriptions.UpsertAsync("slack", "T0001", $"C{i:D8}", time, "UTC", NudgeDays.Daily, false, null, due);
            }
        }

        /// <summary>Waits until every subscription's day is settled as Sent and nothing is due: no post can follow.</summary>
        public async Task WaitSettledAsync()
        {
            var deadline = DateTime.UtcNow + Deadline;
            while (true)
            {
                var sent = await ScalarAsync("SELECT COUNT(*) FROM nudge_deliveries WHERE \"State\" = 'Sent'");
                var due = await ScalarAsync("SELECT COUNT(*) FROM nudge_subscriptions WHERE \"NextDueAt\" <= now()");
                if (sent == 2 * PerChannel && due == 0)
                {
                    return;
                }

                Assert.True(
                    DateTime.UtcNow < deadline,
                    $"Not settled: {sent} sent, {due} still due, {Slack.Delivered.Count} Slack and {Teams.Delivered.Count} Teams posts.");
                await Task.Delay(200);
            }
        }

        public void AssertEachPostedOnce()
        {
            var slack = Slack.Delivered.ToList();
            var teams = Teams.Delivered.ToList();
            Assert.Equal(PerChannel, slack.Count);
            Assert.Equal(PerChannel, teams.Count);
            Assert.Equal(Enumerable.Range(0, PerChannel).Select(i => $"C{i:D8}"), slack.Order(StringComparer.Ordinal));
            Assert.Equal(Enumerable.Range(0, PerChannel).Select(i => $"a:scale-{i:D4}"), teams.Order(StringComparer.Ordinal));
        }

        /// <summary>The host process with a TCP connection from one of these local ports (to a fake).</summary>
        public ScaleOutHost? HostOwningPort(IReadOnlyCollection<int> ports)
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

            return _hosts.FirstOrDefault(h => !h.HasExited && Directory.EnumerateFiles($"/proc/{h.Id}/fd").Any(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target);
                }
                catch (IOException)
                {
                    return false;
                }
            }));
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var host in _hosts)
            {
                await host.DisposeAsync();
            }

            await Slack.DisposeAsync();
            await Teams.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        }

        private async Task<long> ScalarAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        private async Task AdminAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(_admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>One <c>dotnet coachbot.dll</c> of the cluster; its standard error is kept for failure messages.</summary>
    private sealed class ScaleOutHost : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

        private ScaleOutHost(Process process)
        {
            _process = process;
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    _errors.Enqueue(line);
                }
            };
        }

        public int Id => _process.Id;

        public bool HasExited => _process.HasExited;

        public static async Task<ScaleOutHost> StartAsync(IDictionary<string, string> environment)
        {
            var port = Loopback.FreePort();
            var host = new ScaleOutHost(CoachBotProcess.StartHost(port, environment));
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (true)
                {
                    Assert.False(host.HasExited, "A host exited at start-up: " + string.Join('\n', host._errors));
                    Assert.True(DateTime.UtcNow < deadline, "A host did not become ready: " + string.Join('\n', host._errors));
                    try
                    {
                        if ((await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                        {
                            return host;
                        }
                    }
                    catch (HttpRequestException)
                    {
                    }

                    await Task.Delay(100);
                }
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }

        public async Task KillAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                await KillAsync();
            }

            _process.Dispose();
        }
    }
}
