namespace CoachBot.Storage.Tests;

/// <summary>A real, empty database of its own for one test, migrated like the host does; deleted afterwards.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public FakeTime Time { get; } = new();

    public static async Task<TestDatabase> CreateAsync(TestProvider provider, bool migrate = true) => provider switch
    {
        TestProvider.Sqlite => await SqliteTestDatabase.CreateAsync(migrate),
        TestProvider.Postgres => await PostgresTestDatabase.CreateAsync(migrate),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>A context on its own connection, as each request scope or worker gets in the host.</summary>
    public abstract CoachBotDbContext NewContext();

    /// <summary>Closes the pooled connections, as a process exit would.</summary>
    public abstract void ReleaseConnections();

    public abstract ValueTask DisposeAsync();
}
