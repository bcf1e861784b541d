using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Nudges;
using CoachBot.Conversations;
using CoachBot.Nudges;
using CoachBot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Tests;

/// <summary>
/// The dispatcher and sender as the host wires them (real SQLite file, real Slack client against the fake), with a
/// clock the test moves: daylight saving, late and too-late ticks, tip rotation, skip and the per-day guard.
/// </summary>
public sealed class NudgeDispatcherTests
{
    private static readonly TimeOnly Nine = new(9, 0);

    [Theory]
    [InlineData("Europe/Berlin", "2026-03-27T12:00:00Z", 8, 7)] // spring forward on Sunday 29 March
    [InlineData("America/New_York", "2026-10-30T18:00:00Z", 13, 14)] // fall back on Sunday 1 November
    public async Task Nudge_goes_out_at_nine_local_on_both_sides_of_a_daylight_saving_change(string zone, string start, int utcHourBefore, int utcHourAfter)
    {
        using var slack = new FakeSlackApi();
        await using var nudges = await NudgeTestServices.CreateAsync(slack, DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        var subscription = await nudges.SubscribeAsync("C0DST", zone, Nine);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);

        var sentAt = new List<DateTimeOffset>();
        for (var day = 0; day < 4; day++)
        {
            var due = (await nudges.SubscriptionAsync(subscription)).NextDueAt;
            nudges.Clock.Now = due - TimeSpan.FromMinutes(1);
            await nudges.DispatchAsync();
            Assert.Equal(day, slack.Posts().Count); // not a minute early

            nudges.Clock.Now = due;
            await nudges.DispatchAsync();
            Assert.Equal(day + 1, slack.Posts().Count);
            sentAt.Add(due);
        }

        Assert.All(sentAt, at => Assert.Equal(Nine, TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, tz).DateTime)));
        Assert.Equal(utcHourBefore, sentAt[0].UtcDateTime.Hour);
        Assert.Equal(utcHourAfter, sentAt[^1].UtcDateTime.Hour);
        Assert.Equal(4, sentAt.Select(a => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(a, tz).DateTime)).Distinct().Count());
    }

    [Fact]
    public async Task Host_back_at_ten_fifty_nine_sends_the_nine_oclock_nudge_once_late()
    {
        using var slack = new FakeSlackApi();
        await using var nudges = await NudgeTestServices.CreateAsync(slack, At("2026-06-01T12:00:00Z"));
        var subscription = await nudges.SubscribeAsync("C0LATE", "Europe/Berlin", Nine);
        var due = subscription.NextDueAt; // Tuesday 2 June, 09:00 Berlin

        nudges.Clock.Now = due + new TimeSpan(1, 59, 0);
        await nudges.DispatchAsync();
        await nudges.DispatchAsync();

        var post = Assert.Single(slack.Posts());
        Assert.Equal("C0LATE", post["channel"]!.GetValue<string>());
        var delivery = Assert.Single(await nudges.HistoryAsync(subscription));
        Assert.Equal(NudgeDeliveryState.Sent, delivery.State);
        Assert.Equal(new DateOnly(2026, 6, 2), delivery.LocalDate);
        Assert.Equal(due.AddDays(1), (await nudges.SubscriptionAsync(subscription)).NextDueAt);
    }

    [Fact]
    public async Task Host_back_at_eleven_oh_one_skips_that_day_with_a_row_and_a_log_and_the_next_day_is_normal()
    {
        using var slack = new FakeSlackApi();
        await using var nudges = await NudgeTestServices.CreateAsync(slack, At("2026-06-01T12:00:00Z"));
        var subscription = await nudges.SubscribeAsync("C0SKIP", "Europe/Berlin", Nine);
        var due = subscription.NextDueAt;

        nudges.Clock.Now = due + new TimeSpan(2, 1, 0);
        await nudges.DispatchAsync();

        Assert.Empty(slack.Posts());
        var skipped = Assert.Single(await nudges.HistoryAsync(subscription));
        Assert.Equal(NudgeDeliveryState.Skipped, skipped.State);
        Assert.Equal("too_late", skipped.Error);
        Assert.Contains(nudges.Logs.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("skipped", StringComparison.Ordinal) && l.Message.Contains($"subscription {subscription.Id}", StringComparison.Ordinal));

        var tomorrow = (await nudges.SubscriptionAsync(subscription)).NextDueAt;
        Assert.Equal(due.AddDays(1), tomorrow);
        nudges.Clock.Now = tomorrow;
        await nudges.DispatchAsync();
        Assert.Single(slack.Posts());
        Assert.Equal([NudgeDeliveryState.Sent, NudgeDeliveryState.Skipped], (await nudges.HistoryAsync(subscription)).Select(d => d.State));
    }

    [Fact]
    public async Task All_73_tips_go_out_on_73_consecutive_days_without_a_repeat_then_the_cycle_restarts()
    {
        using var slack = new FakeSlackApi();
        await using var nudges = await NudgeTestServices.CreateAsync(slack, At("2026-01-01T00:00:00Z"));
        var library = await nudges.WithAsync(sp => Task.FromResult(sp.GetRequiredService<NudgeLibrary>()));
        Assert.Equal(73, library.All.Count);
        var subscription = await nudges.SubscribeAsync("C0ROT", "Europe/Berlin", Nine);

        for (var day = 0; day < 2 * 73; day++)
        {
            nudges.Clock.Now = (await nudges.SubscriptionAsync(subscription)).NextDueAt;
            await nudges.DispatchAsync();
        }

        var history = (await nudges.HistoryAsync(subscription, take: 200)).OrderBy(d => d.LocalDate).ToList();
        Assert.Equal(146, history.Count);
        Assert.All(history, d => Assert.Equal(NudgeDeliveryState.Sent, d.State));
        Assert.Equal(Enumerable.Range(0, 146).Select(i => new DateOnly(2026, 1, 1).AddDays(i)), history.Select(d => d.LocalDate));
        var first = history.Take(73).Select(d => d.TipId!).ToList();
        var second = history.Skip(73).Select(d => d.TipId!).ToList();
        Assert.Equal(73, first.Distinct().Count());
        Assert.Equal(73, second.Distinct().Count());
        Assert.Equal(library.All.Select(n => n.Id).Order(), first.Order());
        Assert.Equal(146, slack.Posts().Count);
    }

    [Fact]
    public async Task Nudge_skip_skips_the_next_occurrence_only()
    {
        using var slack = new FakeSlackApi();
        await using var nudges = await NudgeTestServices.CreateAsync(slack, At("2026-06-01T12:00:00Z"));
        var subscription = await nudges.SubscribeAsync("C0SKIPCMD", "Europe/Berlin", Nine, NudgeDays.Weekdays);
        Assert.Equal(At("2026-06-02T07:00:00Z"), subscription.NextDueAt); // Tuesday

        var answer = await nudges.WithAsync(sp => sp.GetRequiredService<NudgeCommands>().RunAsync(
            new ConversationContext("slack", "T0001", "C0SKIPCMD", "U1"), new BotCommand.NudgeSkip(), _ => Task.FromResult<string?>(null), CancellationToken.None));
        Assert.Contains("Skipping Tuesday 2 June", answer, StringComparison.Ordinal);
        Assert.Contains("Wednesday 3 June at 09:00", answer, StringComparison.Ordinal);

        nudges.Clock.Now = At("2026-06-02T07:00:00Z");
        await nudges.DispatchAsync();
        Assert.Empty(slack.Posts());

        nudges.Clock.Now = At("2026-06-03T07:00:00Z");
        await nudges.DispatchAsync();
        nudges.Clock.Now = (await nudges.SubscriptionAsync(subscription)).NextDueAt;
        await nudges.DispatchAsync();
        Assert.Equal(2, slack.Posts().Count);
        Assert.Equal([new DateOnly(2026, 6, 4), new DateOnly(2026, 6, 3)], (await nudges.HistoryAsync(subscription)).Select(d => d.LocalDate));
    }

    [Fact]
    public async Task Dispatching_the_same_due_time_twice_or_at_once_posts_once()
    {
        using var slack = new FakeSlackApi();
        await using var nudges = await NudgeTestServices.CreateAsync(slack, At("2026-06-01T12:00:00Z"));
        var subscription = await nudges.SubscribeAsync("C0GUARD", "Europe/Berlin", Nine);
        nudges.Clock.Now = subscription.NextDueAt;

        await Task.WhenAll(nudges.DispatchAsync(), nudges.DispatchAsync(), nudges.DispatchAsync());
        await nudges.DispatchAsync();

        // Put the subscription back to the same due time, as a replica with a stale view would see it.
        await nudges.WithAsync(sp => sp.GetRequiredService<NudgeSubscriptions>().SetNextDueAsync(subscription.Id, subscription.NextDueAt));
        await nudges.DispatchAsync();

        Assert.Single(slack.Posts());
        Assert.Single(await nudges.HistoryAsync(subscription));
        Assert.Equal(subscription.NextDueAt.AddDays(1), (await nudges.SubscriptionAsync(subscription)).NextDueAt);
    }

    [Fact]
    public async Task A_day_held_by_a_dead_sender_stays_due_until_its_lease_runs_out_then_goes_out_once()
    {
        using var slack = new FakeSlackApi();
        await using var nudges = await NudgeTestServices.CreateAsync(slack, At("2026-06-01T12:00:00Z"));
        var subscription = await nudges.SubscribeAsync("C0LEASE", "Europe/Berlin", Nine);
        nudges.Clock.Now = subscription.NextDueAt;
        Assert.True(await nudges.WithAsync(sp => sp.GetRequiredService<NudgeDeliveries>()
            .TryReserveAsync(subscription.Id, new DateOnly(2026, 6, 2), "dead-replica:1", TimeSpan.FromMinutes(1))));

        await nudges.DispatchAsync();
        Assert.Empty(slack.Posts());
        Assert.Equal(subscription.NextDueAt, (await nudges.SubscriptionAsync(subscription)).NextDueAt);

        nudges.Clock.Now += TimeSpan.FromMinutes(2);
        await nudges.DispatchAsync();
        await nudges.DispatchAsync();
        Assert.Single(slack.Posts());
        Assert.Equal(NudgeDeliveryState.Sent, Assert.Single(await nudges.HistoryAsync(subscription)).State);
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
