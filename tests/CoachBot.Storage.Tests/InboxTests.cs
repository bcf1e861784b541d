using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage.Tests;

public sealed class InboxOnSqlite() : InboxTests(TestProvider.Sqlite);

public sealed class InboxOnPostgres() : InboxTests(TestProvider.Postgres);

public abstract class InboxTests(TestProvider provider) : StorageTest(provider)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private Inbox _inbox = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _inbox = new Inbox(Db, Time);
    }

    private static InboxItem Slack(string eventId, string? ts = null) =>
        new() { Channel = InboxItem.Slack, DeliveryKey = eventId, DedupeKey = ts is null ? null : $"D1:{ts}", Payload = $"{{\"event_id\":\"{eventId}\"}}" };

    private async Task<InboxItem> StoredAsync(long id)
    {
        // A fresh context, so what we see is what the file holds, not what this context tracked.
        await using var db = Database.NewContext();
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

        Assert.True(await _inbox.CompleteAsync(claimed.Id, "worker-a"));

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
        Assert.True(await _inbox.CompleteAsync(claimed!.Id, "worker-a"));

        // Slack's last retry can arrive after the reply went out; it must not produce a second one.
        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev1")));
        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev9", "1700000000.000100")));
    }

    [Fact]
    public async Task Completed_item_no_longer_holds_its_payload()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);

        Assert.True(await _inbox.CompleteAsync(claimed!.Id, "worker-a"));

        var stored = await StoredAsync(claimed.Id);
        Assert.Null(stored.Payload);
        Assert.Null(stored.LeaseUntil);
        Assert.Equal("Ev1", stored.DeliveryKey);
    }

    [Fact]
    public async Task Items_are_claimed_oldest_first()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        Time.Advance(TimeSpan.FromSeconds(1));
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
            await using var db = Database.NewContext();
            var inbox = new Inbox(db, Time);
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
    public async Task Batch_claim_takes_the_oldest_due_items_up_to_the_limit()
    {
        for (var n = 0; n < 5; n++)
        {
            await _inbox.AcceptAsync(Slack($"Ev{n}"));
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await _inbox.ClaimAsync("worker-a", Lease, 3);
        var second = await _inbox.ClaimAsync("worker-b", Lease, 3);

        Assert.Equal(["Ev0", "Ev1", "Ev2"], first.Select(i => i.DeliveryKey));
        Assert.All(first, i => Assert.Equal("worker-a", i.LeaseOwner));
        Assert.Equal(["Ev3", "Ev4"], second.Select(i => i.DeliveryKey));
        Assert.Empty(await _inbox.ClaimAsync("worker-c", Lease, 3));
    }

    [Fact]
    public async Task Workers_claiming_batches_at_once_never_share_an_item_and_together_claim_all()
    {
        const int Count = 300;
        for (var n = 0; n < Count; n++)
        {
            await _inbox.AcceptAsync(Slack($"Ev{n}"));
        }

        var claims = new ConcurrentBag<long>();
        async Task WorkAsync(string worker)
        {
            await using var db = Database.NewContext();
            var inbox = new Inbox(db, Time);
            while (await inbox.ClaimAsync(worker, Lease, 16) is { Count: > 0 } items)
            {
                foreach (var item in items)
                {
                    claims.Add(item.Id);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 3).Select(n => Task.Run(() => WorkAsync($"worker-{n}"))));

        Assert.Equal(Count, claims.Count);
        Assert.Equal(Count, claims.Distinct().Count());
    }

    [Fact]
    public async Task Renewed_lease_keeps_the_item_from_other_workers_and_only_the_holders_items_are_renewed()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        await _inbox.AcceptAsync(Slack("Ev2"));
        var mine = (await _inbox.ClaimNextAsync("node-a:1", Lease))!;
        var theirs = (await _inbox.ClaimNextAsync("node-b:1", Lease))!;

        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _inbox.RenewAsync("node-a:1", [mine.Id, theirs.Id], Lease));
        Time.Advance(TimeSpan.FromSeconds(2));

        // node-b's lease ran out; node-a's was renewed a second before its end.
        var taken = await _inbox.ClaimAsync("node-c:1", Lease, 10);
        Assert.Equal([theirs.Id], taken.Select(i => i.Id));
    }

    [Fact]
    public async Task A_restarted_node_frees_the_live_leases_its_earlier_processes_held_and_no_one_elses()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        await _inbox.AcceptAsync(Slack("Ev2"));
        await _inbox.AcceptAsync(Slack("Ev3"));
        var dead = (await _inbox.ClaimNextAsync("node-a:100", Lease))!;
        var other = (await _inbox.ClaimNextAsync("node-ab:7", Lease))!;
        var current = (await _inbox.ClaimNextAsync("node-a:200", Lease))!;

        Assert.Equal(1, await _inbox.ExpireLeasesOfAsync("node-a:", "node-a:200"));

        var again = Assert.Single(await _inbox.ClaimAsync("node-a:200", Lease, 10));
        Assert.Equal(dead.Id, again.Id);
        Assert.Equal(2, again.Attempts); // A retry: the first attempt may have reached the channel.
        Assert.Equal("node-ab:7", (await StoredAsync(other.Id)).LeaseOwner);
        Assert.Equal("node-a:200", (await StoredAsync(current.Id)).LeaseOwner);
    }

    [Fact]
    public async Task Expired_lease_makes_the_item_claimable_again()
    {
        // The process accepted, claimed, then died before replying.
        await _inbox.AcceptAsync(Slack("Ev1"));
        var first = await _inbox.ClaimNextAsync("worker-a", Lease);

        await using var afterRestart = Database.NewContext();
        var inbox = new Inbox(afterRestart, Time);
        Time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Null(await inbox.ClaimNextAsync("worker-b", Lease));

        Time.Advance(TimeSpan.FromSeconds(1));
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
            Time.Advance(Lease);
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
            Assert.Equal(InboxState.Pending, await _inbox.FailAsync(claimed.Id, "worker-a", "slack.http_500"));

            // Not due until the backoff (5 s, 10 s, 20 s, ...) has passed.
            var backoff = Inbox.Backoff(attempt);
            Assert.Equal(Inbox.FirstBackoff * (1 << (attempt - 1)), backoff);
            Time.Advance(backoff - TimeSpan.FromMilliseconds(1));
            Assert.Null(await _inbox.ClaimNextAsync("worker-a", Lease));
            Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var last = await _inbox.ClaimNextAsync("worker-a", Lease);
        Assert.Equal(InboxState.Failed, await _inbox.FailAsync(last!.Id, "worker-a", "slack.http_500"));

        Time.Advance(TimeSpan.FromDays(1));
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

        await _inbox.FailAsync(claimed!.Id, "worker-a", "slack.rate_limited", retryAfter: TimeSpan.FromSeconds(30));

        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await _inbox.ClaimNextAsync("worker-a", Lease));
        Time.Advance(TimeSpan.FromSeconds(1));
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

        await Assert.ThrowsAnyAsync<ArgumentException>(() => _inbox.FailAsync(claimed!.Id, "worker-a", errorCode));
    }

    [Fact]
    public async Task Depth_counts_pending_items_and_the_age_of_the_oldest()
    {
        Assert.Equal(new InboxDepth(0, TimeSpan.Zero), await _inbox.DepthAsync());

        await _inbox.AcceptAsync(Slack("Ev1"));
        Time.Advance(TimeSpan.FromSeconds(3));
        await _inbox.AcceptAsync(Slack("Ev2"));
        Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(new InboxDepth(2, TimeSpan.FromSeconds(5)), await _inbox.DepthAsync());

        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);
        Assert.True(await _inbox.CompleteAsync(claimed!.Id, "worker-a"));
        Assert.Equal(new InboxDepth(1, TimeSpan.FromSeconds(2)), await _inbox.DepthAsync());
    }

    [Fact]
    public async Task Accepted_items_survive_closing_every_connection()
    {
        await _inbox.AcceptAsync(Slack("Ev1", "1700000000.000100"));
        await Db.DisposeAsync();
        Database.ReleaseConnections();

        Db = Database.NewContext();
        _inbox = new Inbox(Db, Time);

        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);
        Assert.Equal("{\"event_id\":\"Ev1\"}", claimed!.Payload);
        Assert.Equal(AcceptResult.Duplicate, await _inbox.AcceptAsync(Slack("Ev1")));
    }

    [Fact]
    public async Task Worker_whose_lease_was_taken_over_cannot_complete_or_fail_the_new_claim()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        var first = await _inbox.ClaimNextAsync("worker-a", Lease);
        Time.Advance(Lease);
        var second = await _inbox.ClaimNextAsync("worker-b", Lease);
        Assert.Equal(first!.Id, second!.Id);

        // worker-a wakes up late: its answers must not end worker-b's claim.
        Assert.False(await _inbox.CompleteAsync(first.Id, "worker-a"));
        Assert.Null(await _inbox.FailAsync(first.Id, "worker-a", "slack.http_500"));

        var stored = await StoredAsync(first.Id);
        Assert.Equal(InboxState.Pending, stored.State);
        Assert.Equal("worker-b", stored.LeaseOwner);
        Assert.NotNull(stored.Payload);
        Assert.True(await _inbox.CompleteAsync(second.Id, "worker-b"));
        Assert.False(await _inbox.CompleteAsync(second.Id, "worker-b")); // Done is final.
    }

    [Fact]
    public async Task Permanent_failure_ends_the_item_at_once_without_its_payload()
    {
        await _inbox.AcceptAsync(Slack("Ev1"));
        var claimed = await _inbox.ClaimNextAsync("worker-a", Lease);

        Assert.Equal(InboxState.Failed, await _inbox.FailAsync(claimed!.Id, "worker-a", "timeout", permanent: true));

        var stored = await StoredAsync(claimed.Id);
        Assert.Equal(InboxState.Failed, stored.State);
        Assert.Equal("timeout", stored.LastError);
        Assert.Null(stored.Payload);
        Assert.Null(await _inbox.FailAsync(claimed.Id, "worker-a", "timeout")); // Already finished: left alone.
    }

    [Fact]
    public async Task Prune_deletes_only_finished_items_older_than_the_keep_time()
    {
        await _inbox.AcceptAsync(Slack("Old-done"));
        await _inbox.AcceptAsync(Slack("Old-failed"));
        await _inbox.AcceptAsync(Slack("Old-pending"));
        var done = await _inbox.ClaimNextAsync("worker-a", Lease);
        await _inbox.CompleteAsync(done!.Id, "worker-a");
        var failed = await _inbox.ClaimNextAsync("worker-a", Lease);
        await _inbox.FailAsync(failed!.Id, "worker-a", "slack.channel_not_found", permanent: true);
        Time.Advance(TimeSpan.FromHours(25));
        await _inbox.AcceptAsync(Slack("New"));
        var fresh = await _inbox.ClaimNextAsync("worker-b", Lease);
        Assert.Equal("Old-pending", fresh!.DeliveryKey); // Oldest first; leave it pending.
        var newer = await _inbox.ClaimNextAsync("worker-b", Lease);
        await _inbox.CompleteAsync(newer!.Id, "worker-b");

        Assert.Equal(2, await _inbox.PruneAsync(TimeSpan.FromHours(24)));

        await using var db = Database.NewContext();
        var left = await db.InboxItems.OrderBy(i => i.Id).Select(i => i.DeliveryKey).ToListAsync();
        Assert.Equal(["Old-pending", "New"], left);
        Assert.Equal(AcceptResult.Accepted, await _inbox.AcceptAsync(Slack("Old-done"))); // Pruned: no longer a duplicate.
    }

    [Fact]
    public async Task Racing_workers_on_separate_connections_each_claim_one_item_and_never_the_same()
    {
        for (var n = 0; n < 4; n++)
        {
            await _inbox.AcceptAsync(Slack($"Ev{n}"));
        }

        for (var round = 0; round < 5; round++)
        {
            var claims = await RaceAsync(4, db => new Inbox(db, Time).ClaimNextAsync($"worker-{Guid.NewGuid():N}", Lease));

            Assert.All(claims, Assert.NotNull);
            Assert.Equal(4, claims.Select(c => c!.Id).Distinct().Count());
            Time.Advance(Lease); // Expire every lease: all four are up for grabs again.
        }
    }
}
