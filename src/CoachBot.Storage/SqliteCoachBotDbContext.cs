using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CoachBot.Storage;

/// <summary>The default store: one SQLite file. Its migrations are in Migrations/Sqlite.</summary>
internal sealed class SqliteCoachBotDbContext(DbContextOptions<SqliteCoachBotDbContext> options) : CoachBotDbContext(options)
{
    public static DbContextOptions<SqliteCoachBotDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<SqliteCoachBotDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(SqliteConnectionSetup.Instance)
            .Options;
}

/// <summary>
/// Lets <c>dotnet ef migrations add NAME --context SqliteCoachBotDbContext --output-dir Migrations/Sqlite</c> build the
/// model without a host; the file named here is never opened when adding a migration.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCoachBotDbContext>
{
    public SqliteCoachBotDbContext CreateDbContext(string[] args) => new(SqliteCoachBotDbContext.Options("Data Source=design-time.db"));
}
