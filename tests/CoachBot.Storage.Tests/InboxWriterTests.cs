using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Storage.Tests;

public sealed class InboxWriterOnSqlite() : InboxWriterTests(TestProvider.Sqlite);

public sealed class InboxWriterOnPostgres() : InboxWriterTests(TestProvider.Postgres);

/// <summary>The endpoints' group commit: many accepts share a commit, and each caller learns its own outcome.</summary>
public abstract class InboxWriterTests(TestProvider provider) : StorageTest(provider)
{
    private static InboxItem Slack(string eventId, string? ts = null) =>
        new() { Channel = InboxItem.Slack, DeliveryKey = eventId, DedupeKey = ts is null ? null : $"D1:{ts}", Payload = $"{{\"event_id\":\"{eventId}\"}}" };

    private InboxWriter NewWriter(TestDatabase database)
    {
        var services = new ServiceCollection().AddScoped(_ => database.NewContext()).BuildServiceProvider();
        return new InboxWriter(services.GetRequiredService<IServiceScopeFactory>(), Time, NullLogger<InboxWriter>.Instance);
    }

    private async Task<List<InboxItem>> StoredAsync()
    {
        await using var db = Database.NewContext();
        return await db.InboxItems.AsNoTracking().OrderBy(i => i.Id).ToListAsync();
    }

    [Fact]
    public async Task Concurrent_accepts_are_each_committed_once_and_told_so()
    {
        using var writer = NewWriter(Database);

        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(n =>
            Task.Run(() => writer.AcceptAsync(Slack($"Ev{n}", $"1700000000.{n:D6}")))));

        Assert.All(results, r => Assert.Equal(AcceptResult.Accepted, r));
        var stored = await StoredAsync();
        Assert.Equal(500, stored.Count);
        Assert.Equal(500, stored.Select(i => i.DeliveryKey).Distinct().Count());
        Assert.All(stored, i => Assert.Equal(InboxState.Pending, i.State));
        Assert.All(stored, i => Assert.Equal(Time.GetUtcNow().UtcDateTime, i.ReceivedAt));
    }

    [Fact]
    public async Task Retries_and_resent_messages_in_one_batch_are_duplicates_of_the_first()
    {
        using var writer = NewWriter(Database);

        // Queued together, so they very likely share one transaction: the duplicate must see the first's row.
        var first = writer.AcceptAsync(Slack("Ev1", "1700000000.000100"));
        var retry = writer.AcceptAsync(Slack("Ev1", "1700000000.000100"));
        var resent = writer.AcceptAsync(Slack("Ev2", "1700000000.000100"));
        var other = writer.AcceptAsync(Slack("Ev3", "1700000000.000200"));

        Assert.Equal(
            [AcceptResult.Accepted, AcceptResult.Duplicate, AcceptResult.Duplicate, AcceptResult.Accepted],
            await Task.WhenAll(first, retry, resent, other));
        Assert.Equal(["Ev1", "Ev3"], (await StoredAsync()).Select(i => i.DeliveryKey));
    }

    [Fact]
    public async Task Accepted_item_gets_its_id_and_is_claimable()
    {
        using var writer = NewWriter(Database);
        var item = Slack("Ev1");

        Assert.Equal(AcceptResult.Accepted, await writer.AcceptAsync(item));

        var claimed = await new Inbox(Db, Time).ClaimNextAsync("worker-a", TimeSpan.FromMinutes(1));
        Assert.Equal(item.Id, claimed?.Id);
        Assert.Equal(item.Payload, claimed?.Payload);
    }

    [Fact]
    public async Task Completion_through_the_writer_ends_only_the_holders_claim()
    {
        using var writer = NewWriter(Database);
        var inbox = new Inbox(Db, Time);
        await writer.AcceptAsync(Slack("Ev1"));
        var claimed = await inbox.ClaimNextAsync("worker-a", TimeSpan.FromMinutes(1));

        Assert.False(await writer.CompleteAsync(claimed!.Id, "worker-b"));
        Assert.True(await writer.CompleteAsync(claimed.Id, "worker-a"));
        Assert.False(await writer.CompleteAsync(claimed.Id, "worker-a")); // Done is final.

        var stored = Assert.Single(await StoredAsync());
        Assert.Equal(InboxState.Done, stored.State);
        Assert.Null(stored.Payload);
        Assert.Equal(1, writer.Accepts);
    }

    [Fact]
    public async Task Accepts_and_completions_in_one_batch_each_get_their_own_result()
    {
        using var writer = NewWriter(Database);
        var inbox = new Inbox(Db, Time);
        await writer.AcceptAsync(Slack("Ev1"));
        var claimed = await inbox.ClaimNextAsync("worker-a", TimeSpan.FromMinutes(1));

        // Queued together, so they very likely share one batch: results are read back by position, and a
        // completion that changes no row must not shift the accepts' results (or ids) after it.
        var second = Slack("Ev2");
        var third = Slack("Ev3");
        var accepted = writer.AcceptAsync(second);
        var notTheHolder = writer.CompleteAsync(claimed!.Id, "worker-b");
        var duplicate = writer.AcceptAsync(Slack("Ev2"));
        var holder = writer.CompleteAsync(claimed.Id, "worker-a");
        var acceptedToo = writer.AcceptAsync(third);

        var accepts = await Task.WhenAll(accepted, duplicate, acceptedToo);
        var completions = await Task.WhenAll(notTheHolder, holder);
        Assert.Equal([AcceptResult.Accepted, AcceptResult.Duplicate, AcceptResult.Accepted], accepts);
        Assert.Equal([false, true], completions);
        var stored = await StoredAsync();
        Assert.Equal(["Ev1", "Ev2", "Ev3"], stored.Select(i => i.DeliveryKey));
        Assert.Equal([claimed.Id, second.Id, third.Id], stored.Select(i => i.Id));
        Assert.Equal([InboxState.Done, InboxState.Pending, InboxState.Pending], stored.Select(i => i.State));
    }

    [Fact]
    public async Task A_database_that_cannot_take_the_rows_fails_the_callers_and_the_next_batch_starts_afresh()
    {
        await using var empty = await TestDatabase.CreateAsync(Provider, migrate: false);
        using var writer = NewWriter(empty);

        // No inbox table yet: the caller must not be told its delivery is safe.
        await Assert.ThrowsAnyAsync<Exception>(() => writer.AcceptAsync(Slack("Ev1")));

        await using (var db = empty.NewContext())
        {
            await new StorageSchema(db).MigrateAsync();
        }

        Assert.Equal(AcceptResult.Accepted, await writer.AcceptAsync(Slack("Ev1")));
    }

    [Fact]
    public async Task Disposing_writes_what_was_already_queued()
    {
        var writer = NewWriter(Database);
        var queued = Enumerable.Range(0, 50).Select(n => writer.AcceptAsync(Slack($"Ev{n}"))).ToList();

        writer.Dispose();

        Assert.All(await Task.WhenAll(queued), r => Assert.Equal(AcceptResult.Accepted, r));
        Assert.Equal(50, (await StoredAsync()).Count);
        Assert.Throws<InvalidOperationException>(() => { _ = writer.AcceptAsync(Slack("late")); });
    }

    [Fact]
    public void Refuses_an_item_without_a_channel_it_knows_before_queueing_it()
    {
        using var writer = NewWriter(Database);
        Assert.Throws<ArgumentException>(() => { _ = writer.AcceptAsync(new InboxItem { Channel = "email", DeliveryKey = "x" }); });
    }
}
