using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CoachBot.Storage.Tests;

public sealed class MigrationsOnSqlite() : MigrationTests(TestProvider.Sqlite);

public sealed class MigrationsOnPostgres() : MigrationTests(TestProvider.Postgres);

/// <summary>The schema as the host gets it: from nothing, from an older release, and in step with the model.</summary>
public abstract class MigrationTests(TestProvider provider)
{
    [Fact]
    public async Task Migrations_match_the_model()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.NewContext();

        // A model change without its migration would pass every other test on a fresh database and fail in production.
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.NewContext();
        await new Inbox(db, database.Time).AcceptAsync(new InboxItem { Channel = InboxItem.Slack, DeliveryKey = "Ev1", Payload = "{}" });

        await new StorageSchema(db).MigrateAsync();

        Assert.Equal(1, (await new Inbox(db, database.Time).DepthAsync()).Pending);
    }

    [Fact]
    public async Task Replicas_migrating_a_new_database_at_once_both_start()
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);

        // Two hosts deployed together, each running its start-up migration against the same empty database.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            await using var db = database.NewContext();
            await new StorageSchema(db).MigrateAsync();
        })));

        await using var check = database.NewContext();
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Database_with_only_the_inbox_upgrades_and_keeps_its_items()
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        await using (var old = database.NewContext())
        {
            // The schema of the first release, with an item waiting in it.
            await old.GetService<IMigrator>().MigrateAsync("InitialInbox");
            var pending = (await old.Database.GetPendingMigrationsAsync()).Select(m => m[15..]).ToList();
            Assert.Equal("Installations_Subscriptions_Feedback", pending[0]);
            Assert.Contains("FeedbackReason", pending);
            await new Inbox(old, database.Time).AcceptAsync(new InboxItem { Channel = InboxItem.Slack, DeliveryKey = "Ev1", Payload = "{}" });
        }

        await using var db = database.NewContext();
        await new StorageSchema(db).MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var item = await new Inbox(db, database.Time).ClaimNextAsync("worker-a", TimeSpan.FromMinutes(1));
        Assert.Equal("Ev1", item!.DeliveryKey);
        await new Feedback(db, database.Time).RecordAsync(InboxItem.Slack, "C1:1.1", "U1", "rule.a", helpful: true);
        Assert.Single(await new Feedback(db, database.Time).CountsAsync());
        Assert.Empty(await db.DataProtectionKeys.ToListAsync());
    }
}
