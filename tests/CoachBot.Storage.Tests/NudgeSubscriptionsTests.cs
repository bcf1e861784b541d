using CoachBot.Coaching.Nudges;

namespace CoachBot.Storage.Tests;

public sealed class NudgeSubscriptionsOnSqlite() : NudgeSubscriptionsTests(TestProvider.Sqlite);

public sealed class NudgeSubscriptionsOnPostgres() : NudgeSubscriptionsTests(TestProvider.Postgres);

public abstract class NudgeSubscriptionsTests(TestProvider provider) : StorageTest(provider)
{
    private static readonly string[] Tips = ["tip.a", "tip.b", "tip.c", "tip.d", "tip.e"];

    private NudgeSubscriptions _subscriptions = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _subscriptions = new NudgeSubscriptions(Db, Time);
    }

    private Task<NudgeSubscription> SubscribeAsync(
        string conversationId = "C1", TimeOnly? at = null, NudgeDays days = NudgeDays.Weekdays, string? createdBy = "U1", DateTimeOffset? due = null) =>
        _subscriptions.UpsertAsync(
            InboxItem.Slack, "T1", conversationId, at ?? new TimeOnly(9, 0), "Europe/Berlin", days, withQuestion: true, createdBy, due ?? Time.GetUtcNow().AddDays(1));

    [Fact]
    public async Task Subscribing_stores_the_schedule_and_finds_it_by_conversation_and_id()
    {
        var stored = await SubscribeAsync();

        Assert.True(stored.Id > 0);
        var found = await _subscriptions.FindAsync(InboxItem.Slack, "C1");
        Assert.NotNull(found);
        Assert.Equal(new TimeOnly(9, 0), found.LocalTime);
        Assert.Equal("Europe/Berlin", found.TimeZoneId);
        Assert.Equal(NudgeDays.Weekdays, found.Days);
        Assert.True(found.WithQuestion);
        Assert.Equal("", found.UsedTipIds);
        Assert.Equal(Time.GetUtcNow(), found.CreatedAt);
        Assert.Equal(stored.Id, (await _subscriptions.FindByIdAsync(stored.Id))!.Id);
        Assert.Null(await _subscriptions.FindAsync(InboxItem.Teams, "C1"));
    }

    [Fact]
    public async Task Changing_settings_keeps_the_rotation_skip_date_and_creator()
    {
        var first = await SubscribeAsync();
        await _subscriptions.TakeNextTipAsync(first.Id, Tips);
        await _subscriptions.SetSkipDateAsync(first.Id, new DateOnly(2026, 3, 3), Time.GetUtcNow().AddDays(2));
        Time.Advance(TimeSpan.FromHours(1));

        var changed = await SubscribeAsync(at: new TimeOnly(16, 30), days: NudgeDays.Daily, createdBy: "U2", due: Time.GetUtcNow().AddDays(2));

        Assert.Equal(first.Id, changed.Id);
        Assert.Equal(new TimeOnly(16, 30), changed.LocalTime);
        Assert.Equal(NudgeDays.Daily, changed.Days);
        Assert.NotEqual("", changed.UsedTipIds);
        Assert.Equal(new DateOnly(2026, 3, 3), changed.SkipDate);
        Assert.Equal("U1", changed.CreatedBy);
        Assert.Equal(Time.GetUtcNow(), changed.UpdatedAt);
        Assert.Equal(Time.GetUtcNow().AddDays(2), changed.NextDueAt);
        Assert.Single(await _subscriptions.ListAsync());
    }

    [Fact]
    public async Task Skip_date_is_set_and_cleared_with_the_due_time_that_follows()
    {
        var subscription = await SubscribeAsync();
        var afterSkip = Time.GetUtcNow().AddDays(2);

        Assert.True(await _subscriptions.SetSkipDateAsync(subscription.Id, new DateOnly(2026, 3, 3), afterSkip));
        var skipped = await _subscriptions.FindAsync(InboxItem.Slack, "C1");
        Assert.Equal(new DateOnly(2026, 3, 3), skipped!.SkipDate);
        Assert.Equal(afterSkip, skipped.NextDueAt);

        Assert.True(await _subscriptions.SetSkipDateAsync(subscription.Id, null, Time.GetUtcNow().AddDays(1)));
        Assert.Null((await _subscriptions.FindAsync(InboxItem.Slack, "C1"))!.SkipDate);
        Assert.False(await _subscriptions.SetSkipDateAsync(subscription.Id + 1, null, afterSkip));
    }

    [Fact]
    public async Task Due_lists_only_subscriptions_due_by_now_most_overdue_first()
    {
        var now = Time.GetUtcNow();
        var late = await SubscribeAsync("C1", due: now.AddMinutes(-5));
        var onTime = await SubscribeAsync("C2", due: now);
        await SubscribeAsync("C3", due: now.AddSeconds(1));
        var latest = await SubscribeAsync("C4", due: now.AddHours(-1));

        Assert.Equal([latest.Id, late.Id, onTime.Id], (await _subscriptions.DueAsync(now, take: 10)).Select(s => s.Id));
        Assert.Equal([latest.Id, late.Id], (await _subscriptions.DueAsync(now, take: 2)).Select(s => s.Id));
    }

    [Fact]
    public async Task Setting_the_next_due_time_takes_a_settled_subscription_out_of_the_due_list()
    {
        var now = Time.GetUtcNow();
        var subscription = await SubscribeAsync(due: now.AddMinutes(-1));

        Assert.True(await _subscriptions.SetNextDueAsync(subscription.Id, now.AddDays(1)));

        Assert.Empty(await _subscriptions.DueAsync(now, take: 10));
        Assert.Equal(now.AddDays(1), (await _subscriptions.FindByIdAsync(subscription.Id))!.NextDueAt);
        Assert.False(await _subscriptions.SetNextDueAsync(subscription.Id + 1, now));
    }

    [Fact]
    public async Task Removing_unsubscribes_and_takes_the_history_with_it()
    {
        var subscription = await SubscribeAsync();
        var deliveries = new NudgeDeliveries(Db, Time);
        await deliveries.TryReserveAsync(subscription.Id, new DateOnly(2026, 3, 2), "host-a", TimeSpan.FromMinutes(5));

        Assert.True(await _subscriptions.RemoveAsync(InboxItem.Slack, "C1"));
        Assert.False(await _subscriptions.RemoveAsync(InboxItem.Slack, "C1"));
        Assert.Empty(await _subscriptions.ListAsync());
        Assert.Empty(await deliveries.HistoryAsync(subscription.Id));
    }

    [Fact]
    public async Task List_returns_every_subscription_oldest_first()
    {
        await SubscribeAsync("C1");
        await SubscribeAsync("C2");
        await SubscribeAsync("C1", at: new TimeOnly(10, 0));

        Assert.Equal(["C1", "C2"], (await _subscriptions.ListAsync()).Select(s => s.ConversationId));
    }

    [Fact]
    public async Task No_tip_repeats_until_all_have_been_used_then_a_new_round_starts()
    {
        var subscription = await SubscribeAsync();

        var taken = new List<string>();
        for (var n = 0; n < Tips.Length * 3; n++)
        {
            taken.Add(await _subscriptions.TakeNextTipAsync(subscription.Id, Tips));
        }

        var rounds = taken.Chunk(Tips.Length).ToList();
        Assert.All(rounds, round => Assert.Equal(Tips.Order(), round.Order()));
        Assert.All(taken.Zip(taken.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task Tip_order_is_shuffled_per_subscription_and_the_same_for_every_replica()
    {
        var orders = new List<string>();
        for (var n = 0; n < 6; n++)
        {
            var subscription = await SubscribeAsync($"C{n}");
            var order = new List<string>();
            for (var t = 0; t < Tips.Length; t++)
            {
                // A new context each time, as if each nudge were sent by a different replica.
                await using var db = Database.NewContext();
                order.Add(await new NudgeSubscriptions(db, Time).TakeNextTipAsync(subscription.Id, Tips));
            }

            Assert.Equal(TipRotation.Order(subscription.Id, Tips), order);
            orders.Add(string.Join(' ', order));
        }

        Assert.True(orders.Distinct().Count() > 1, "Every subscription got the same order.");
    }

    [Fact]
    public async Task Tip_added_to_the_library_joins_the_current_round()
    {
        var subscription = await SubscribeAsync();
        var taken = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            taken.Add(await _subscriptions.TakeNextTipAsync(subscription.Id, Tips));
        }

        string[] more = [.. Tips, "tip.f"];
        for (var n = 0; n < 3; n++)
        {
            taken.Add(await _subscriptions.TakeNextTipAsync(subscription.Id, more));
        }

        Assert.Equal(more.Order(), taken.Order());
    }

    [Fact]
    public async Task Taking_a_tip_for_a_removed_subscription_still_answers_and_stores_nothing()
    {
        Assert.Equal(TipRotation.Order(12345, Tips)[0], await _subscriptions.TakeNextTipAsync(12345, Tips));
        Assert.Empty(await _subscriptions.ListAsync());
    }

    [Fact]
    public async Task Racing_tip_takers_never_get_the_same_tip_within_a_round()
    {
        var subscription = await SubscribeAsync();
        string[] many = [.. Enumerable.Range(0, 12).Select(n => $"tip.{n:D2}")];

        var first = await RaceAsync(4, db => new NudgeSubscriptions(db, Time).TakeNextTipAsync(subscription.Id, many));
        var second = await RaceAsync(4, db => new NudgeSubscriptions(db, Time).TakeNextTipAsync(subscription.Id, many));
        var third = await RaceAsync(4, db => new NudgeSubscriptions(db, Time).TakeNextTipAsync(subscription.Id, many));

        Assert.Equal(many, first.Concat(second).Concat(third).Order());
    }
}
