using CoachBot.Coaching.Nudges;

namespace CoachBot.Storage.Tests;

public sealed class NudgeDeliveriesOnSqlite() : NudgeDeliveriesTests(TestProvider.Sqlite);

public sealed class NudgeDeliveriesOnPostgres() : NudgeDeliveriesTests(TestProvider.Postgres);

public abstract class NudgeDeliveriesTests(TestProvider provider) : StorageTest(provider)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly DateOnly Monday = new(2026, 3, 2);

    private NudgeDeliveries _deliveries = null!;
    private long _subscription;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _deliveries = new NudgeDeliveries(Db, Time);
        _subscription = await SubscribeAsync("C1");
    }

    private async Task<long> SubscribeAsync(string conversationId) =>
        (await new NudgeSubscriptions(Db, Time).UpsertAsync(
            InboxItem.Teams, "tenant-1", conversationId, new TimeOnly(9, 0), "America/New_York", NudgeDays.Weekdays,
            withQuestion: false, createdBy: null, Time.GetUtcNow())).Id;

    [Fact]
    public async Task A_taken_over_reservation_says_so_because_the_first_post_may_have_landed()
    {
        Assert.Equal(NudgeReservation.Fresh, await _deliveries.ReserveAsync(_subscription, Monday, "node-a:1", Lease));
        Assert.Equal(NudgeReservation.Refused, await _deliveries.ReserveAsync(_subscription, Monday, "node-b:1", Lease));

        Time.Advance(Lease);

        Assert.Equal(NudgeReservation.TakenOver, await _deliveries.ReserveAsync(_subscription, Monday, "node-b:1", Lease));
    }

    [Fact]
    public async Task Renewal_keeps_a_reservation_alive_past_its_first_lease()
    {
        await _deliveries.ReserveAsync(_subscription, Monday, "node-a:1", Lease);
        Time.Advance(Lease - TimeSpan.FromSeconds(1));

        Assert.Equal(1, await _deliveries.RenewAsync("node-a:1", [_subscription], Lease));
        Assert.Equal(0, await _deliveries.RenewAsync("node-b:1", [_subscription], Lease));
        Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(NudgeReservation.Refused, await _deliveries.ReserveAsync(_subscription, Monday, "node-b:1", Lease));
    }

    [Fact]
    public async Task A_restarted_node_frees_its_dead_reservations_at_once()
    {
        await _deliveries.ReserveAsync(_subscription, Monday, "node-a:100", Lease);

        Assert.Equal(1, await _deliveries.ExpireLeasesOfAsync("node-a:", "node-a:200"));

        Assert.Equal(NudgeReservation.TakenOver, await _deliveries.ReserveAsync(_subscription, Monday, "node-a:200", Lease));
    }

    [Fact]
    public async Task A_day_given_back_for_a_retry_stays_reserved_and_is_taken_over_at_once()
    {
        await _deliveries.ReserveAsync(_subscription, Monday, "node-a:1", Lease);

        Assert.True(await _deliveries.ReleaseForRetryAsync(_subscription, Monday, "node-a:1", "slack.timeout"));

        Assert.Equal(NudgeDeliveryState.Reserved, await _deliveries.StateAsync(_subscription, Monday));
        Assert.Equal(NudgeReservation.TakenOver, await _deliveries.ReserveAsync(_subscription, Monday, "node-b:1", Lease));
        Assert.False(await _deliveries.ReleaseForRetryAsync(_subscription, Monday, "node-a:1", "slack.timeout"));
    }

    [Fact]
    public async Task First_reservation_of_a_day_wins_and_a_second_is_refused()
    {
        Assert.True(await _deliveries.TryReserveAsync(_subscription, Monday, "host-a", Lease));
        Assert.False(await _deliveries.TryReserveAsync(_subscription, Monday, "host-b", Lease));
        Assert.True(await _deliveries.TryReserveAsync(_subscription, Monday.AddDays(1), "host-b", Lease));

        var reserved = (await _deliveries.HistoryAsync(_subscription)).Single(d => d.LocalDate == Monday);
        Assert.Equal(NudgeDeliveryState.Reserved, reserved.State);
        Assert.Equal("host-a", reserved.Owner);
    }

    [Fact]
    public async Task Sent_day_is_never_reserved_again_even_after_the_lease()
    {
        await _deliveries.TryReserveAsync(_subscription, Monday, "host-a", Lease);

        Assert.True(await _deliveries.MarkSentAsync(_subscription, Monday, "tip.a"));
        Time.Advance(TimeSpan.FromDays(1));

        Assert.False(await _deliveries.TryReserveAsync(_subscription, Monday, "host-b", Lease));
        var sent = Assert.Single(await _deliveries.HistoryAsync(_subscription));
        Assert.Equal(NudgeDeliveryState.Sent, sent.State);
        Assert.Equal("tip.a", sent.TipId);
        Assert.NotNull(sent.CompletedAt);
        Assert.Null(sent.LeaseUntil);
    }

    [Fact]
    public async Task Reservation_of_a_host_that_died_is_taken_over_once_its_lease_runs_out()
    {
        await _deliveries.TryReserveAsync(_subscription, Monday, "host-a", Lease);
        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.False(await _deliveries.TryReserveAsync(_subscription, Monday, "host-b", Lease));

        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _deliveries.TryReserveAsync(_subscription, Monday, "host-b", Lease));

        Assert.Equal("host-b", Assert.Single(await _deliveries.HistoryAsync(_subscription)).Owner);
        Assert.False(await _deliveries.TryReserveAsync(_subscription, Monday, "host-c", Lease));
    }

    [Fact]
    public async Task Failed_day_is_final_and_keeps_only_its_code()
    {
        await _deliveries.TryReserveAsync(_subscription, Monday, "host-a", Lease);

        Assert.True(await _deliveries.MarkFailedAsync(_subscription, Monday, "teams.forbidden"));
        Assert.False(await _deliveries.MarkSentAsync(_subscription, Monday, "tip.a"));
        Time.Advance(TimeSpan.FromHours(1));
        Assert.False(await _deliveries.TryReserveAsync(_subscription, Monday, "host-b", Lease));

        var failed = Assert.Single(await _deliveries.HistoryAsync(_subscription));
        Assert.Equal(NudgeDeliveryState.Failed, failed.State);
        Assert.Equal("teams.forbidden", failed.Error);
        await Assert.ThrowsAsync<ArgumentException>(() => _deliveries.MarkFailedAsync(_subscription, Monday, "Could not post the tip"));
    }

    [Fact]
    public async Task Late_misfire_is_recorded_as_skipped_and_blocks_the_day()
    {
        Assert.True(await _deliveries.MarkSkippedAsync(_subscription, Monday, "too_late"));
        Assert.False(await _deliveries.MarkSkippedAsync(_subscription, Monday, "too_late"));

        Assert.False(await _deliveries.TryReserveAsync(_subscription, Monday, "host-a", Lease));
        var skipped = Assert.Single(await _deliveries.HistoryAsync(_subscription));
        Assert.Equal(NudgeDeliveryState.Skipped, skipped.State);
        Assert.Equal("too_late", skipped.Error);
    }

    [Fact]
    public async Task Skip_does_not_override_a_live_reservation_but_closes_an_expired_one()
    {
        await _deliveries.TryReserveAsync(_subscription, Monday, "host-a", Lease);
        Assert.False(await _deliveries.MarkSkippedAsync(_subscription, Monday, "too_late"));

        Time.Advance(Lease);
        Assert.True(await _deliveries.MarkSkippedAsync(_subscription, Monday, "too_late"));
        Assert.Equal(NudgeDeliveryState.Skipped, Assert.Single(await _deliveries.HistoryAsync(_subscription)).State);
    }

    [Fact]
    public async Task Reservation_for_a_removed_subscription_is_refused()
    {
        await new NudgeSubscriptions(Db, Time).RemoveAsync(InboxItem.Teams, "C1");

        Assert.False(await _deliveries.TryReserveAsync(_subscription, Monday, "host-a", Lease));
        Assert.False(await _deliveries.MarkSkippedAsync(_subscription, Monday, "too_late"));
    }

    [Fact]
    public async Task History_is_newest_first_and_limited()
    {
        for (var day = 0; day < 5; day++)
        {
            await _deliveries.TryReserveAsync(_subscription, Monday.AddDays(day), "host-a", Lease);
            await _deliveries.MarkSentAsync(_subscription, Monday.AddDays(day), $"tip.{day}");
        }

        var history = await _deliveries.HistoryAsync(_subscription, take: 3);

        Assert.Equal([Monday.AddDays(4), Monday.AddDays(3), Monday.AddDays(2)], history.Select(d => d.LocalDate));
    }

    [Fact]
    public async Task Hosts_racing_to_reserve_the_same_day_get_exactly_one_true()
    {
        for (var day = 0; day < 10; day++)
        {
            var date = Monday.AddDays(day);

            var results = await RaceAsync(4, db => new NudgeDeliveries(db, Time).TryReserveAsync(_subscription, date, $"host-{Guid.NewGuid():N}", Lease));

            Assert.Single(results, r => r);
        }
    }

    [Fact]
    public async Task Hosts_racing_to_take_over_an_expired_reservation_get_exactly_one_true()
    {
        for (var day = 0; day < 10; day++)
        {
            var date = Monday.AddDays(day);
            await _deliveries.TryReserveAsync(_subscription, date, "host-dead", Lease);
        }

        Time.Advance(Lease);
        for (var day = 0; day < 10; day++)
        {
            var date = Monday.AddDays(day);

            var results = await RaceAsync(4, db => new NudgeDeliveries(db, Time).TryReserveAsync(_subscription, date, $"host-{Guid.NewGuid():N}", Lease));

            Assert.Single(results, r => r);
        }
    }
}
