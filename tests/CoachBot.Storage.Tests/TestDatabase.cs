using Microsoft.Data.Sqlite;

namespace CoachBot.Storage.Tests;

/// <summary>A real SQLite file in its own temp folder, migrated like the host does; deleted afterwards.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string folder)
    {
        Folder = folder;
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "data", "coachbot.db") }.ConnectionString;
    }

    public string Folder { get; }

    public string ConnectionString { get; }

    public FakeTime Time { get; } = new();

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase(Directory.CreateTempSubdirectory("coachbot-storage-").FullName);
        await using var db = database.NewContext();
        await new StorageSchema(db).MigrateAsync();
        return database;
    }

    /// <summary>A context on its own connection, as each request scope or worker gets in the host.</summary>
    public SqliteCoachBotDbContext NewContext() => new(SqliteCoachBotDbContext.Options(ConnectionString));

    /// <summary>Closes the pooled connections that keep the file open, as a process exit would.</summary>
    public void ReleaseFile()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public ValueTask DisposeAsync()
    {
        ReleaseFile();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
