using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CoachBot.Storage.Tests;

/// <summary>SQLite-only set-up: the data folder and WAL. Migrations on both providers are in <see cref="MigrationTests"/>.</summary>
public sealed class StorageSchemaTests
{
    [Fact]
    public async Task First_run_creates_the_data_directory_and_a_wal_database()
    {
        await using var database = await SqliteTestDatabase.CreateAsync();
        await using var db = database.NewContext();

        Assert.True(File.Exists(Path.Combine(database.Folder, "data", "coachbot.db")));
        var mode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync();
        Assert.Equal("wal", mode);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}

public sealed class StorageOptionsTests
{
    private const string Home = "/home/rep";

    [Theory]
    [InlineData("/data/xdg", "/data/xdg/coachbot")]
    [InlineData(null, "/home/rep/.local/share/coachbot")]
    [InlineData("", "/home/rep/.local/share/coachbot")]
    [InlineData("relative/xdg", "/home/rep/.local/share/coachbot")] // The XDG spec says to ignore a relative path.
    public void Default_data_directory_follows_xdg_data_home(string? xdgDataHome, string expected)
    {
        var directory = StorageOptions.DefaultDataDirectory(name => name == "XDG_DATA_HOME" ? xdgDataHome : null, Home);

        Assert.Equal(expected, directory);
    }

    [Fact]
    public void PostgreSql_prepares_the_hot_statements_unless_the_connection_string_says_otherwise()
    {
        var options = Options("Host=db.internal;Database=coachbot;Username=coachbot;Password=s3cret");

        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        Assert.Equal(StorageProvider.PostgreSql, options.Provider);
        Assert.Equal(StorageOptions.DefaultMaxAutoPrepare, builder.MaxAutoPrepare);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal("s3cret", builder.Password);
    }

    [Theory]
    [InlineData("Host=db.internal;Max Auto Prepare=0", 0)]
    [InlineData("Host=db.internal;maxautoprepare=5", 5)]
    public void PostgreSql_keeps_an_explicit_max_auto_prepare(string connectionString, int expected)
    {
        var builder = new NpgsqlConnectionStringBuilder(Options(connectionString).ConnectionString);

        Assert.Equal(expected, builder.MaxAutoPrepare);
    }

    private static StorageOptions Options(string connectionString) =>
        StorageOptions.FromConfiguration(
            new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{StorageOptions.ConnectionStringName}"] = connectionString })
                .Build());
}
