using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>Brings the database up to the current schema; run at start-up (and by <c>coachbot db migrate</c>).</summary>
public sealed class StorageSchema(CoachBotDbContext db)
{
    // Any fixed number; it only has to be the same in every replica ("CoachBot" in ASCII, truncated).
    private const long MigrationLockKey = 0x436F616368426F74;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (db.Database.IsSqlite())
        {
            // First run: the data directory may not exist yet, and SQLite creates the file but not its folder.
            var path = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            // WAL lets the endpoints keep accepting while a worker writes, and it sticks to the file once set.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        }

        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Replicas started together would otherwise both see a migration as missing and both apply it (the second
        // dies on "relation already exists"). A session advisory lock on the connection EF migrates on puts them in
        // line: the second finds nothing left to do.
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken).ConfigureAwait(false);
            try
            {
                await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
