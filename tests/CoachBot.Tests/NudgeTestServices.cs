using System.Collections.Concurrent;
using CoachBot.Coaching.Nudges;
using CoachBot.Hosting;
using CoachBot.Nudges;
using CoachBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Tests;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class NudgeTestClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Every log line the services write, to assert that something was logged.</summary>
internal sealed class NudgeLogRecorder : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(NudgeLogRecorder recorder) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                recorder.Lines.Enqueue((logLevel, formatter(state, exception)));
            }
        }
    }
}

/// <summary>
/// The host's own service registrations (coaching, storage on a SQLite file, Slack pointed at a fake, nudges), built
/// without starting the host, with a clock the test moves: the dispatcher and sender exactly as the host runs them.
/// </summary>
internal sealed class NudgeTestServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private NudgeTestServices(ServiceProvider provider, NudgeTestClock clock, NudgeLogRecorder logs, string data)
    {
        _provider = provider;
        Clock = clock;
        Logs = logs;
        DataDirectory = data;
    }

    public NudgeTestClock Clock { get; }

    public NudgeLogRecorder Logs { get; }

    public string DataDirectory { get; }

    public NudgeDispatcher Dispatcher => _provider.GetRequiredService<NudgeDispatcher>();

    public static async Task<NudgeTestServices> CreateAsync(FakeSlackApi slack, DateTimeOffset start)
    {
        var data = Directory.CreateTempSubdirectory("coachbot-nudge-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SlackBotHost.Secret,
            ["Slack:BotToken"] = SlackBotHost.BotToken,
            ["Slack:ApiBaseUrl"] = slack.BaseUrl,
            ["Storage:DataDirectory"] = data,
        }).Build();
        var clock = new NudgeTestClock(start);
        var logs = new NudgeLogRecorder();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddProvider(logs));
        services.AddCoaching(configuration);
        Assert.Null(services.AddChannels(configuration));
        services.AddSingleton<TimeProvider>(clock);
        var provider = services.BuildServiceProvider();
        await provider.MigrateStorageAsync();
        return new NudgeTestServices(provider, clock, logs, data);
    }

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    /// <summary>Subscribes a Slack channel the way <c>nudge on</c> stores it, first due at the next occurrence.</summary>
    public Task<NudgeSubscription> SubscribeAsync(string channel, string zone, TimeOnly at, NudgeDays days = NudgeDays.Daily) =>
        WithAsync(sp =>
        {
            var schedule = new NudgeSchedule(at, TimeZoneInfo.FindSystemTimeZoneById(zone), days);
            return sp.GetRequiredService<NudgeSubscriptions>().UpsertAsync(
                "slack", "T0001", channel, at, zone, days, withQuestion: false, "U1", schedule.Next(Clock.Now).At);
        });

    public Task<NudgeSubscription> SubscriptionAsync(NudgeSubscription subscription) =>
        WithAsync(async sp => (await sp.GetRequiredService<NudgeSubscriptions>().FindByIdAsync(subscription.Id))!);

    public Task<IReadOnlyList<NudgeDelivery>> HistoryAsync(NudgeSubscription subscription, int take = 30) =>
        WithAsync(sp => sp.GetRequiredService<NudgeDeliveries>().HistoryAsync(subscription.Id, take));

    public Task<int> DispatchAsync() => Dispatcher.DispatchDueAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
