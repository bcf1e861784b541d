using BenchmarkDotNet.Attributes;
using CoachBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoachBot.Benchmarks;

/// <summary>
/// What an acknowledgement costs in the database alone: the product's <see cref="InboxWriter"/> (group commit,
/// synchronous=FULL on SQLite) taking distinct Slack-sized deliveries from <see cref="InFlight"/> callers at once,
/// each waiting for its own commit before sending the next, as wrk's connections do against the endpoints. No HTTP,
/// no signature check, no parsing: the mean per acceptance is the ceiling the durable inbox puts on acks/s
/// (1 s / mean) at that many connections, before anything else a request costs.
/// </summary>
/// <remarks>
/// SQLite in a fresh temporary folder by default; set <c>COACHBOT_BENCH_POSTGRES</c> to the connection string of a
/// scratch database to measure PostgreSQL instead (it is migrated, and the fake deliveries are deleted afterwards;
/// never point it at a database a bot works from: its workers would try to answer them). Pin it as the load runs pin the host: <c>taskset -c 0 dotnet run -c Release
/// --project tests/CoachBot.Benchmarks -- --filter '*InboxCommit*'</c>.
/// </remarks>
public class InboxCommitBenchmarks
{
    private const int PerInvoke = 400;
    private const string KeyPrefix = "inbox-bench:";

    // A message.im event_callback the size Slack sends (about 1.1 KB), as the inbox stores it.
    private static readonly string Payload =
        """{"token":"XXYYZZ","team_id":"T0123456","api_app_id":"A0123456","event":{"type":"message","channel":"D0123456","user":"U0123456","text":"What does your purchasing process look like? We have a call with their operations lead on Thursday and I want to open well.","ts":"1700000000.000100","event_ts":"1700000000.000100","channel_type":"im","client_msg_id":"4f1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","blocks":[{"type":"rich_text","block_id":"abc12","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"What does your purchasing process look like? We have a call with their operations lead on Thursday and I want to open well."}]}]}]},"type":"event_callback","event_id":"Ev0123456789","event_time":1700000000,"authorizations":[{"enterprise_id":null,"team_id":"T0123456","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}],"is_ext_shared_channel":false,"event_context":"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMDEyMzQ1NiIsImFpZCI6IkEwMTIzNDU2IiwiY2lkIjoiRDAxMjM0NTYifQ"}""";

    private string? _folder;
    private ServiceProvider _services = null!;
    private InboxWriter _writer = null!;
    private long _next;

    /// <summary>Callers with one acceptance each in flight: wrk's connections.</summary>
    [Params(1, 10, 50)]
    public int InFlight { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var postgres = Environment.GetEnvironmentVariable("COACHBOT_BENCH_POSTGRES");
        var settings = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(postgres))
        {
            _folder = Directory.CreateTempSubdirectory("coachbot-inbox-bench-").FullName;
            settings[StorageOptions.DataDirectoryKey] = _folder;
        }
        else
        {
            settings[$"ConnectionStrings:{StorageOptions.ConnectionStringName}"] = postgres;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _services = new ServiceCollection().AddLogging().AddCoachBotStorage(configuration).BuildServiceProvider();
        using (var scope = _services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<StorageSchema>().MigrateAsync().GetAwaiter().GetResult();
        }

        _writer = _services.GetRequiredService<InboxWriter>();
        _next = DateTime.UtcNow.Ticks; // distinct keys across runs that share a PostgreSQL database
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_folder is null)
        {
            using var scope = _services.CreateScope();
            scope.ServiceProvider.GetRequiredService<CoachBotDbContext>().Database
                .ExecuteSqlRaw($"DELETE FROM inbox WHERE \"DeliveryKey\" LIKE '{KeyPrefix}%'");
        }

        _services.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark(OperationsPerInvoke = PerInvoke)]
    public Task AcceptDistinctDeliveries()
    {
        var callers = new Task[InFlight];
        for (var c = 0; c < InFlight; c++)
        {
            var count = PerInvoke / InFlight + (c < PerInvoke % InFlight ? 1 : 0);
            callers[c] = Task.Run(() => AcceptInTurnAsync(count));
        }

        return Task.WhenAll(callers);
    }

    private async Task AcceptInTurnAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _next);
            var result = await _writer.AcceptAsync(new InboxItem
            {
                Channel = InboxItem.Slack,
                DeliveryKey = $"{KeyPrefix}{n:D19}",
                DedupeKey = $"D0123456:{n}.000100",
                Payload = Payload,
            }).ConfigureAwait(false);
            if (result != AcceptResult.Accepted)
            {
                throw new InvalidOperationException($"delivery {n} was not new: {result}");
            }
        }
    }
}
