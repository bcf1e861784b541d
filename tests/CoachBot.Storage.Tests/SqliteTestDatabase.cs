using Microsoft.Data.Sqlite;

namespace CoachBot.Storage.Tests;

/// <summary>A SQLite file in its own temp folder.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private SqliteTestDatabase(string folder)
    {
        Folder = folder;
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "data", "coachbot.db") }.ConnectionString;
    }

    public string Folder { get; }

    public string ConnectionString { get; }

    public static async Task<SqliteTestDatabase> CreateAsync(bool migrate = true)
    {
        var database = new SqliteTestDatabase(Directory.CreateTempSubdirectory("coachbot-storage-").FullName);
        if (migrate)
        {
            await using var db = database.NewContext();
            await new StorageSchema(db).MigrateAsync();
        }
        else
        {
            Directory.CreateDirectory(Path.Combine(database.Folder, "data"));
        }

        return database;
    }

    public override CoachBotDbContext NewContext() => new SqliteCoachBotDbContext(SqliteCoachBotDbContext.Options(ConnectionString));

    public override void ReleaseConnections()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    public override ValueTask DisposeAsync()
    {
        ReleaseConnections();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
