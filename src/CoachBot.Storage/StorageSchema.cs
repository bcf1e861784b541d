using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CoachBot.Storage;

/// <summary>Brings the database up to the current schema; run at start-up (and by <c>coachbot db migrate</c>).</summary>
public sealed class StorageSchema(CoachBotDbContext db)
{
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

        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }
}
