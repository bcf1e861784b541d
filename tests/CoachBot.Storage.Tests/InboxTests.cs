using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage.Tests;

public sealed class InboxTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private TestDatabase _database = null!;
    private SqliteCoachBotDbContext _db = null!;
    private Inbox _inbox = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _db = _database.NewContext();
        _inbox = new Inbox(_db, _database.Time);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static InboxItem Slack(string eventId, string? ts = null) =>
        new() { Channel = InboxItem.Slack, DeliveryKey = eventId, DedupeKey = ts is null ? null : $"D1:{ts}", Payload = $"{{\"event_id\":\"{eventId}\"}}" };

    private async Task<InboxItem> StoredAsync(long id)
    {
        // A fresh context, so what we see is what the file holds, not what this context tracked.
        await using var db = _database.NewContext();
        return await db.InboxItems.AsNoTracking().SingleAsync(i => i.Id == id);
    }

    [Fact]
    public async Task Accepted_item_is_claimed_once_and_completed()
    {
        var item = Slack("Ev1", "1700000000.000100");
        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(item));

        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);
        Assert.NotNull(claimed);
        Assert.Equal(item.Id, claimed.Id);
        Assert.Equal("{\"event_id\":\"Ev1\"}", claimed.Payload);
        Assert.Equal("worker-a", claimed.LeaseOwner);
        Assert.Equal(1, claimed.Attempts);
        Assert.Null(await _inbox.ClaimNextAsync("worker-b", Lease)); // Leased: nobody else gets it.

        await _inbox.CompleteAsync(claimed.Id);

        Assert.Equal(InboxState.Done, (await StoredAsync(claimed.Id)).State);
        Assert.Null(await _inbox.ClaimNextAsync("worker-a", Lease));
    }

    [Fact]
    public async Task Repeated_delivery_key_is_a_duplicate()
    {
        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(Slack("Ev1")));

        // Slack retries with the same event_id (X-Slack-Retry-Num 1, 2, 3).
        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev1")));
        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev1")));
        Assert.Equal(1, (await _inbox.DepthAsync()).Pending);
    }

    [Fact]
    public async Task Same_channel_and_ts_under_a_new_delivery_key_is_a_duplicate()
    {
        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(Slack("Ev1", "1700000000.000100")));

        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev2", "1700000000.000100")));
        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(Slack("Ev3", "1700000000.000200")));
    }

    [Fact]
    public async Task Items_without_a_dedupe_key_never_collide_on_it()
    {
        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(Slack("Ev1")));
        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(Slack("Ev2")));
    }

    [Fact]
    public async Task The_same_key_on_the_other_channel_is_a_different_delivery()
    {
        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(Slack("1234")));
        var teams = new InboxItem { Channel = InboxItem.Teams, DeliveryKey = "1234", Payload = "{}" };

        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(teams));
    }

    [Fact]
    public async Task Duplicate_of_a_completed_item_is_still_a_duplicate()
    {
        await _inbox.AcceptAsync(Slack("Ev1", "1700000000.000100"));
        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);
        await _inbox.CompleteAsync(claimed!.Id);

        // Slack's last retry can arrive after the reply went out; it must not produce a second one.
        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev1")));
        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev9", "1700000000.000100")));
    }

    [Fact]
    public async Task Completed_item_no_longer_holds_its_payload()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);

        await _inbox.CompleteAsync(claimed!.Id);

        var stored = await StoredAsync(claimed.Id);
        Assert.Null(stored.Payload);
        Assert.Null(stored.LeaseUntil);
        Assert.Equal("Ev1", stored.DeliveryKey);
    }

    [Fact]
    public async Task Items_are_claimed_oldest_first()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        _database.Time.Advance(TimeSpan.FromSeconds(1));
        await _inbox.AcceptAsync(Slack("Ev2"));

        Assert.Equal("Ev1", (await _inbox.ClaimNextAsync("worker-a", Lease))!.DeliveryKey);
        Assert.Equal("Ev2", (await _inbox.ClaimNextAsync("worker-a", Lease))!.DeliveryKey);
    }

    [Fact]
    public async Task Two_workers_claiming_at_once_never_share_an_item_and_together_claim_all()
    {
        const int Count = 300;
        var accepted = new HashSet<long>();
        for (var n = 0; n < Count; n++)
        {
            var item = Slack($"Ev{n}", $"1700000000.{n:D6}");
            await _inbox.AcceptAsync(item);
            accepted.Add(item.Id);
        }

        var claims = new ConcurrentBag<(string Worker, long Id)>();
        async Task WorkAsync(string worker)
        {
            // Each worker has its own context and connection, as two host processes would.
            await using var db = _database.NewContext();
            var inbox = new Inbox(db, _database.Time);
            while (await inbox.ClaimNextAsync(worker, Lease) is { } item)
            {
                claims.Add((worker, item.Id));
            }
        }

        await Task.WhenAll(Task.Run(() => WorkAsync("worker-a")), Task.Run(() => WorkAsync("worker-b")));

        var ids = claims.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(accepted.SetEquals(ids));
    }

    [Fact]
    public async Task Expired_lease_makes_the_item_claimable_again()
    {
        // The process accepted, claimed, then died before replying.
        await _inbox.AcceptAsync(Slack("Ev1"));
        var first = await _inbox.ClaimNextAsync("worker-a", Lease);

        await using var afterRestart = _database.NewContext();
        var inbox = new Inbox(afterRestart, _database.Time);
        _database.Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Null(await inbox.ClaimNextAsync("worker-b", Lease));

        _database.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await inbox.ClaimNextAsync("worker-b", Lease);

        Assert.NotNull(second);
        Assert.Equal(first!.Id, second.Id);
        Assert.Equal("worker-b", second.LeaseOwner);
        Assert.Equal(2, second.Attempts);
        Assert.NotNull(second.Payload);
    }

    [Fact]
    public async Task Item_whose_every_claim_ran_out_ends_failed_instead_of_crash_looping()
    {
        var item = Slack("Ev1");
        await _inbox.AcceptAsync(item);
        for (var n = 0; n < Inbox.MaxAttempts; n++)
        {
            Assert.NotNull(await _inbox.ClaimNextAsync("worker-a", Lease));
            _database.Time.Advance(Lease);
        }

        Assert.Null(await _inbox.ClaimNextAsync("worker-a", Lease));

        var stored = await StoredAsync(item.Id);
        Assert.Equal(InboxState.Failed, stored.State);
        Assert.Equal("lease_expired", stored.LastError);
        Assert.Null(stored.Payload);
    }

    [Fact]
    public async Task Failures_back_off_and_end_failed_after_the_limit()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));

        for (var attempt = 1; attempt < Inbox.MaxAttempts; attempt++)
        {
            var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);
            Assert.NotNull(claimed);
            Assert.Equal(attempt, claimed.Attempts);
            Assert.Equal(InboxState.Pending, await _inbox.FailAsync(claimed.Id, "slack.http_500"));

            // Not due until the backoff (5 s, 10 s, 20 s, ...) has passed.
            var backoff = Inbox.Backoff(attempt);
            Assert.Equal(Inbox.FirstBackoff * (1 << (attempt - 1)), backoff);
            _database.Time.Advance(backoff - TimeSpan.FromMilliseconds(1));
            Assert.Null(await _inbox.ClaimNextAsync("worker-a", Lease));
            _database.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var last = await _inbox.ClaimNextAsync("worker-a", Lease);
        Assert.Equal(InboxState.Failed, await _inbox.FailAsync(last!.Id, "slack.http_500"));

        _database.Time.Advance(TimeSpan.FromDays(1));
        Assert.Null(await _inbox.ClaimNextAsync("worker-a", Lease));
        var stored = await StoredAsync(last.Id);
        Assert.Equal(InboxState.Failed, stored.State);
        Assert.Equal("slack.http_500", stored.LastError);
        Assert.Null(stored.Payload);
    }

    [Fact]
    public async Task Retry_after_longer_than_the_backoff_is_waited_out()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);

        await _inbox.FailAsync(claimed!.Id, "slack.rate_limited", retryAfter: TimeSpan.FromSeconds(30));

        _database.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await _inbox.ClaimNextAsync("worker-a", Lease));
        _database.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(await _inbox.ClaimNextAsync("worker-a", Lease));
    }

    [Fact]
    public void Backoff_stops_growing_at_the_cap()
    {
        Assert.Equal(Inbox.LongestBackoff, Inbox.Backoff(10));
        Assert.Equal(Inbox.LongestBackoff, Inbox.Backoff(int.MaxValue));
    }

    [Theory]
    [InlineData("Could not post 'What is your budget?'")] // Message text in an error would leak what the rep wrote.
    [InlineData("")]
    public async Task Error_code_that_is_not_an_identifier_is_refused(string errorCode)
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => _inbox.FailAsync(claimed!.Id, errorCode));
    }

    [Fact]
    public async Task Depth_counts_pending_items_and_the_age_of_the_oldest()
    {
        Assert.Equal(new InboxDepth(0, TimeSpan.Zero), await _inbox.DepthAsync());

        await _inbox.AcceptAsync(Slack("Ev1"));
        _database.Time.Advance(TimeSpan.FromSeconds(3));
        await _inbox.AcceptAsync(Slack("Ev2"));
        _database.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(new InboxDepth(2, TimeSpan.FromSeconds(5)), await _inbox.DepthAsync());

        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);
        await _inbox.CompleteAsync(claimed!.Id);
        Assert.Equal(new InboxDepth(1, TimeSpan.FromSeconds(2)), await _inbox.DepthAsync());
    }

    [Fact]
    public async Task Accepted_items_survive_reopening_the_file()
    {
        await _inbox.AcceptAsync(Slack("Ev1", "1700000000.000100"));
        await _db.DisposeAsync();
        _database.ReleaseFile();

        _db = _database.NewContext();
        _inbox = new Inbox(_db, _database.Time);

        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);
        Assert.Equal("{\"event_id\":\"Ev1\"}", claimed!.Payload);
        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev1")));
    }
}
