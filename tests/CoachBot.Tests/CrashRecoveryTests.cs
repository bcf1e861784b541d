using System.Globalization;
using Xunit.Abstractions;

namespace CoachBot.Tests;

/// <summary>
/// One reply per message and one nudge per day through crashes, on the real host: SIGKILL with posts in flight
/// against a Slack that keeps them (<see cref="LandingChannelApi"/>), then a restart or a surviving replica; and posts
/// whose answer was lost. Sizes come from COACHBOT_CRASH_DMS, COACHBOT_SCALE_DMS and COACHBOT_SCALE_NUDGES
/// (tests/load/crash-runs.sh sets the issue's figures); the figures go to the test output.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Drain = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Killed_with_replies_in_flight_a_restarted_host_answers_every_dm_once_within_30_s(string provider)
    {
        var count = Size("COACHBOT_CRASH_DMS", 200);
        await using var slack = new LandingChannelApi(TimeSpan.FromMilliseconds(500));
        await slack.StartAsync();
        await using var database = await CrashDatabase.CreateAsync(provider);
        await using var host = await SlackBotHost.StartAsync(slack.SlackBaseUrl, settings: database.Settings());
        database.SqliteFile = host.DatabaseFile;

        await CrashDms.SendAsync([host], count);
        Assert.True(await slack.WaitUntilAsync(() => slack.Landed >= count / 4 && slack.InFlight > 0, Within), $"No posts in flight: {slack.Landed} landed.");
        await host.KillAsync();
        var inFlightAtKill = slack.InFlight;
        var landedAtKill = slack.Landed;

        var sinceRestart = CrashDms.Clock();
        await host.RestartAsync();
        var ready = sinceRestart.Elapsed;
        var answered = await slack.WaitUntilAsync(() => AllAnswered(slack, count), Within - sinceRestart.Elapsed);
        var allAnsweredAfter = sinceRestart.Elapsed;
        await WaitDrainedAsync(slack, database);

        var counts = slack.Counts();
        var twice = Enumerable.Range(0, count).Count(i => counts.GetValueOrDefault(CrashDms.Channel(i)) > 1);
        output.WriteLine(
            $"{provider}: {count} DMs, 0.5 s per post; killed with {landedAtKill} answered and {inFlightAtKill} posts in flight; "
            + $"restarted host ready in {CrashDms.Seconds(ready)}, every DM answered {(answered ? "after " + CrashDms.Seconds(allAnsweredAfter) : "NOT within 30 s")}; "
            + $"answered twice: {twice}; look-ups: {slack.Lookups}");
        Assert.True(answered, $"Not every DM answered within 30 s of the restart: {Answered(slack, count)} of {count}.");
        Assert.Equal(0, twice);
        Assert.Equal(count, slack.Landed);
    }

    [Theory]
    [InlineData(PostFault.Drop)]
    [InlineData(PostFault.ServerError)]
    [InlineData(PostFault.Hang)]
    public async Task A_reply_that_landed_but_whose_answer_was_lost_is_retried_after_a_look_and_not_posted_again(PostFault fault)
    {
        await using var slack = new LandingChannelApi(TimeSpan.Zero);
        var failures = 1;
        slack.Fault = _ => Interlocked.Decrement(ref failures) >= 0 ? fault : PostFault.None;
        await slack.StartAsync();
        await using var host = await SlackBotHost.StartAsync(slack.SlackBaseUrl);
        var database = await CrashDatabase.CreateAsync("sqlite");
        database.SqliteFile = host.DatabaseFile;

        await CrashDms.SendAsync([host], 1);
        Assert.True(await slack.WaitUntilAsync(() => slack.Lookups > 0, TimeSpan.FromSeconds(60)), "The retry never looked for the first reply.");
        await WaitDrainedAsync(slack, database);

        Assert.Equal(1, slack.Counts()[CrashDms.Channel(0)]);
        Assert.Equal(1, await database.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE \"State\" = 'Done'"));
        Assert.Contains(host.Output, line => line.Contains("dm_already_posted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reply_whose_post_never_arrived_is_retried_and_posted_once()
    {
        // Slack is down (connections refused) for the first attempt: nothing landed, so the retry's look finds nothing.
        await using var slack = new LandingChannelApi(TimeSpan.Zero);
        await using var host = await SlackBotHost.StartAsync(slack.SlackBaseUrl);
        var database = await CrashDatabase.CreateAsync("sqlite");
        database.SqliteFile = host.DatabaseFile;

        await CrashDms.SendAsync([host], 1);
        Assert.True(SpinWait.SpinUntil(() => host.Output.Any(l => l.Contains("now Pending", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)), "The first attempt did not fail.");
        await slack.StartAsync();
        await WaitDrainedAsync(slack, database);

        Assert.Equal(1, slack.Counts()[CrashDms.Channel(0)]);
    }

    [Fact]
    public async Task Without_the_history_scope_a_retry_falls_back_to_sending()
    {
        await using var slack = new LandingChannelApi(TimeSpan.Zero) { MissingHistoryScope = true };
        var failures = 1;
        slack.Fault = _ => Interlocked.Decrement(ref failures) >= 0 ? PostFault.ServerError : PostFault.None;
        await slack.StartAsync();
        await using var host = await SlackBotHost.StartAsync(slack.SlackBaseUrl);
        var database = await CrashDatabase.CreateAsync("sqlite");
        database.SqliteFile = host.DatabaseFile;

        await CrashDms.SendAsync([host], 1);
        await slack.WaitUntilAsync(() => slack.Landed == 2, TimeSpan.FromSeconds(60));
        await WaitDrainedAsync(slack, database);

        // The documented cost of an install without the scopes: the first post had landed, and the retry cannot know.
        Assert.Equal(2, slack.Counts()[CrashDms.Channel(0)]);
        Assert.True(slack.Lookups > 0);
    }

    [Fact]
    public async Task Killing_one_of_two_replicas_mid_work_delivers_every_dm_and_nudge_within_30_s_and_none_twice_on_slack()
    {
        var dms = Size("COACHBOT_SCALE_DMS", 1000);
        var nudges = Size("COACHBOT_SCALE_NUDGES", 300) / 2; // Half to Slack channels, half to Teams conversations.
        await using var api = new LandingChannelApi(TimeSpan.FromMilliseconds(500));
        await api.StartAsync();
        await using var database = await CrashDatabase.CreateAsync("postgres");
        var settings = database.Settings();
        settings["Teams__AllowUnauthenticatedLocalClients"] = "true";
        settings["Nudges__TickSeconds"] = "2";
        settings["Logging__LogLevel__Default"] = "Warning";
        var started = await Task.WhenAll(SlackBotHost.StartAsync(api.SlackBaseUrl, settings: settings), SlackBotHost.StartAsync(api.SlackBaseUrl, settings: settings));
        await using var first = started[0];
        await using var second = started[1];
        SlackBotHost[] hosts = [first, second];

        // The nudges fall due while the DMs come in, so both are in flight at the kill.
        await database.SubscribeAsync(nudges, api.TeamsServiceUrl, DateTimeOffset.UtcNow.AddHours(1));
        var clock = CrashDms.Clock();
        var sending = CrashDms.SendAsync(hosts, dms);
        Assert.True(await api.WaitUntilAsync(() => Answered(api, dms) >= dms / 20, TimeSpan.FromSeconds(60)), "No DM answered.");
        await database.ScalarAsync("UPDATE nudge_subscriptions SET \"NextDueAt\" = now()");

        // A timeline for the output, each second until the figures are in.
        var timeline = new Timeline(() => output.WriteLine(
            $"{CrashDms.Seconds(clock.Elapsed)}: {Answered(api, dms)} DMs answered, {NudgesLanded(api)} nudges posted, {api.InFlight} posts in flight"));
        await using var stopTimeline = timeline;

        // Kill the replica that is sending nudges, once some nudges and DMs are out.
        int? victimPid = null;
        var seen = 0;
        Assert.True(
            await api.WaitUntilAsync(
                () => Answered(api, dms) >= dms / 10 && NudgesLanded(api) >= nudges / 4
                    && (seen = api.InFlightPorts(IsNudge).Count) > 0
                    && (victimPid = CrashDms.ProcessOwning(api.InFlightPorts(IsNudge), hosts.Select(h => h.ProcessId))) is not null,
                TimeSpan.FromSeconds(90)),
            $"No nudge run caught in flight: {NudgesLanded(api)} nudge posts, {Answered(api, dms)} DMs answered, {seen} nudge posts last seen in flight.");
        var victim = hosts.Single(h => h.ProcessId == victimPid);
        var survivor = hosts.Single(h => h != victim);
        var nudgesInFlight = api.InFlightPorts(IsNudge).Count;
        var sinceKill = CrashDms.Clock();
        await victim.KillAsync();
        var (dmsAtKill, nudgesAtKill) = (Answered(api, dms), NudgesLanded(api));

        await sending; // The DMs still to come go to the survivor, as Slack's retries would.
        var delivered = await api.WaitUntilAsync(() => AllAnswered(api, dms) && AllNudged(api, nudges), Within - sinceKill.Elapsed);
        var deliveredAfter = sinceKill.Elapsed;
        await timeline.DisposeAsync();
        await WaitDrainedAsync(api, database);
        Assert.Equal(2L * nudges, await WaitForAsync(() => database.ScalarAsync("SELECT COUNT(*) FROM nudge_deliveries WHERE \"State\" = 'Sent'"), 2L * nudges));

        var counts = api.Counts();
        var dmTwice = Enumerable.Range(0, dms).Count(i => counts.GetValueOrDefault(CrashDms.Channel(i)) > 1);
        var slackNudgeTwice = Enumerable.Range(0, nudges).Count(i => counts.GetValueOrDefault($"CN{i:D4}") > 1);
        var teamsTwice = Enumerable.Range(0, nudges).Select(i => $"a:nudge-{i:D4}").Where(c => counts.GetValueOrDefault(c) > 1).ToList();
        output.WriteLine(
            $"postgres, two replicas: {dms} DMs and {nudges} Slack + {nudges} Teams nudges, 0.5 s per post; killed the nudge sender with "
            + $"{dmsAtKill} DMs answered, {nudgesAtKill} nudges posted and {nudgesInFlight} nudge posts in flight; everything delivered {(delivered ? "after " + CrashDms.Seconds(deliveredAfter) : "NOT within 30 s")} of the kill; "
            + $"twice: {dmTwice} DMs, {slackNudgeTwice} Slack nudges, {teamsTwice.Count} Teams nudges; look-ups: {api.Lookups}");
        Assert.True(delivered, $"Not all delivered within 30 s of the kill: {Answered(api, dms)} of {dms} DMs, {NudgesLanded(api)} nudge posts.");
        Assert.Equal(0, dmTwice);
        Assert.Equal(0, slackNudgeTwice);

        // Teams cannot be looked up: a nudge goes twice when its first post was in the air or answered but not yet
        // recorded when the sender died, the window the README states: at most one per nudge being sent at that moment
        // (Nudges:Parallelism, 32).
        Assert.True(teamsTwice.Count <= 32, $"{teamsTwice.Count} Teams doubles: more than the 32 nudges one sender has in hand at a time.");
        GC.KeepAlive(survivor);
    }

    /// <summary>Calls its action every second until disposed.</summary>
    private sealed class Timeline : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Timeline(Action tick) => _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                do
                {
                    tick();
                }
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        });

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
                await _loop;
                _stop.Dispose();
            }
        }
    }

    private static int Size(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    private static int Answered(LandingChannelApi api, int count)
    {
        var counts = api.Counts();
        return Enumerable.Range(0, count).Count(i => counts.ContainsKey(CrashDms.Channel(i)));
    }

    private static bool AllAnswered(LandingChannelApi api, int count) => Answered(api, count) == count;

    private static bool IsNudge(string conversation) =>
        conversation.StartsWith("CN", StringComparison.Ordinal) || conversation.StartsWith("a:nudge-", StringComparison.Ordinal);

    private static int NudgesLanded(LandingChannelApi api) => api.Counts().Where(c => IsNudge(c.Key)).Sum(c => c.Value);

    private static bool AllNudged(LandingChannelApi api, int count)
    {
        var counts = api.Counts();
        return Enumerable.Range(0, count).All(i => counts.ContainsKey($"CN{i:D4}") && counts.ContainsKey($"a:nudge-{i:D4}"));
    }

    /// <summary>Waits until the inbox has nothing pending and no post is in flight: after that no post can follow.</summary>
    private static async Task WaitDrainedAsync(LandingChannelApi api, CrashDatabase database)
    {
        Assert.Equal(0L, await WaitForAsync(async () => await database.PendingAsync() + api.InFlight, 0L));
    }

    /// <summary>Reads <paramref name="read"/> until it gives <paramref name="expected"/> or <see cref="Drain"/> passes; returns the last value.</summary>
    private static async Task<long> WaitForAsync(Func<Task<long>> read, long expected)
    {
        var deadline = DateTime.UtcNow + Drain;
        while (true)
        {
            var value = await read();
            if (value == expected || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }
}
