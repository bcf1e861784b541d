using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CoachBot.Storage;

/// <summary>Per-connection SQLite settings, applied each time EF opens a connection.</summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSetup Instance = new();

    // busy_timeout hands lock waits to SQLite's own handler, which retries within milliseconds; without it
    // Microsoft.Data.Sqlite's own retry sleeps 150 ms between tries whenever a worker and an endpoint write at once.
    // synchronous=FULL (SQLite's default, stated so nobody "tunes" it away) fsyncs the WAL on every commit: a channel
    // is told we have its delivery only once a power cut could not take it back. InboxWriter's group commit is what
    // keeps that affordable. journal_mode=WAL is a property of the file, so StorageSchema sets it once, not here.
    // secure_delete=ON zeroes what a delete or update frees (a coached item's payload), in the database file and in the WAL
    // pages that carry it, so freed pages keep no copy of message text; SqliteScrub truncates the WAL behind it.
    private const string Pragmas = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
