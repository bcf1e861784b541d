using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CoachBot.Storage;

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Where CoachBot keeps its data: a SQLite file in <c>Storage:DataDirectory</c> (default
/// <c>$XDG_DATA_HOME/coachbot</c>, else <c>~/.local/share/coachbot</c>), or PostgreSQL when
/// <c>ConnectionStrings:CoachBot</c> is set, for several replicas.
/// </summary>
/// <remarks>A class, not a record: a record's ToString would print the connection string and its password.</remarks>
public sealed class StorageOptions
{
    public const string DataDirectoryKey = "Storage:DataDirectory";
    public const string ConnectionStringName = "CoachBot";
    public const string DatabaseFileName = "coachbot.db";

    /// <summary>
    /// Npgsql's Max Auto Prepare when the connection string leaves it out. Unprepared, PostgreSQL parses and plans
    /// the inbox insert for every delivery: prepared, a 10-caller group commit costs 121 µs an acceptance instead
    /// of 228 µs (InboxCommitBenchmarks). An explicit value is kept, 0 included: PgBouncer in transaction mode
    /// breaks prepared statements unless its max_prepared_statements is set (off by default before 1.24).
    /// </summary>
    public const int DefaultMaxAutoPrepare = 32;

    private StorageOptions(StorageProvider provider, string connectionString, string? dataDirectory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        DataDirectory = dataDirectory;
    }

    public StorageProvider Provider { get; }

    /// <summary>The folder holding the SQLite file; null on PostgreSQL.</summary>
    public string? DataDirectory { get; }

    /// <summary>
    /// The SQLite or Npgsql connection string, for components that share the database without EF (the nudge scheduler's
    /// job store). It may hold a password: never log it.
    /// </summary>
    public string ConnectionString { get; }

    public static StorageOptions FromConfiguration(IConfiguration configuration) =>
        FromConfiguration(
            configuration, Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static StorageOptions FromConfiguration(IConfiguration configuration, Func<string, string?> environment, string home)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageOptions(StorageProvider.PostgreSql, CheckNpgsql(connectionString), dataDirectory: null);
        }

        var configured = configuration[DataDirectoryKey];
        var directory = string.IsNullOrWhiteSpace(configured) ? DefaultDataDirectory(environment, home) : Path.GetFullPath(configured);
        var sqlite = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, DatabaseFileName) };
        return new StorageOptions(StorageProvider.Sqlite, sqlite.ConnectionString, directory);
    }

    internal static string DefaultDataDirectory(Func<string, string?> environment, string home)
    {
        // The XDG base directory spec says a relative XDG_DATA_HOME is invalid and is to be ignored.
        var xdg = environment("XDG_DATA_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg) ? xdg : Path.Combine(home, ".local", "share");
        return Path.Combine(root, "coachbot");
    }

    private static string CheckNpgsql(string connectionString)
    {
        // The value is never echoed: it may hold a password.
        const string Problem = $"ConnectionStrings:{ConnectionStringName} is set but is not a PostgreSQL (Npgsql) connection string "
            + "with a Host, such as Host=localhost;Database=coachbot;Username=coachbot. Remove it to use SQLite.";
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            throw new InvalidOperationException(Problem);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new InvalidOperationException(Problem);
        }

        if (SetsMaxAutoPrepare(connectionString))
        {
            return connectionString;
        }

        builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        return builder.ConnectionString;
    }

    // Npgsql takes "Max Auto Prepare" in any case and spacing; its builder can't tell "left out" from "set to 0".
    private static bool SetsMaxAutoPrepare(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), "MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
}
