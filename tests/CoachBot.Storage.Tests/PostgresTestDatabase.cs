using Npgsql;

namespace CoachBot.Storage.Tests;

/// <summary>
/// A database of its own on the server that <see cref="Variable"/> names (CREATE DATABASE with a random name, dropped
/// afterwards), so tests and runs never see each other's rows.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string Variable = CoachBot.TestSupport.TestPeers.PostgresVariable;

    private readonly string _server;
    private readonly string _name;

    private PostgresTestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        // Prepared as in production (StorageOptions' default), so the writer's batches run against prepared statements.
        ConnectionString = new NpgsqlConnectionStringBuilder(server)
        {
            Database = name,
            MaxAutoPrepare = StorageOptions.DefaultMaxAutoPrepare,
        }.ConnectionString;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync(bool migrate = true)
    {
        // Never skipped: a run without the server must not pass by testing less; TestPeers starts one or says how.
        var server = CoachBot.TestSupport.TestPeers.PostgresServer();

        var database = new PostgresTestDatabase(server, "coachbot_t_" + Guid.NewGuid().ToString("N")[..16]);
        await database.AdminAsync($"CREATE DATABASE \"{database._name}\"");
        if (migrate)
        {
            await using var db = database.NewContext();
            await new StorageSchema(db).MigrateAsync();
        }

        return database;
    }

    public override CoachBotDbContext NewContext() => new PostgresCoachBotDbContext(PostgresCoachBotDbContext.Options(ConnectionString));

    public override void ReleaseConnections()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public override async ValueTask DisposeAsync()
    {
        ReleaseConnections();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private async Task AdminAsync(string sql)
    {
        // Pooling off: the maintenance connection must not linger on the server between tests.
        var admin = new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
