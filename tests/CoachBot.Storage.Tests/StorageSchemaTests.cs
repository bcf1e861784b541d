using Microsoft.EntityFrameworkCore;

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
}
