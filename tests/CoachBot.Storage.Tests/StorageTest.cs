using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage.Tests;

/// <summary>
/// The base of every storage test class: a fresh database per test on the provider the concrete subclass names, and
/// one context on it. Each behaviour is written once and runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class StorageTest(TestProvider provider) : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    protected CoachBotDbContext Db { get; set; } = null!;

    protected FakeTime Time => Database.Time;

    protected TestProvider Provider => provider;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(provider);
        Db = Database.NewContext();
    }

    public async Task DisposeAsync()
    {
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    /// <summary>
    /// Runs <paramref name="racers"/> callers at once, each on its own context (as separate host processes would),
    /// released together so that they really overlap.
    /// </summary>
    protected async Task<T[]> RaceAsync<T>(int racers, Func<CoachBotDbContext, Task<T>> call)
    {
        using var start = new Barrier(racers);
        var tasks = Enumerable.Range(0, racers).Select(_ => Task.Run(async () =>
        {
            await using var db = Database.NewContext();
            await db.Database.OpenConnectionAsync(); // Connect before the start line, so the race is on the statement.
            start.SignalAndWait();
            return await call(db);
        }));
        return await Task.WhenAll(tasks);
    }
}
