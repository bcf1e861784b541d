using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CoachBot.Storage;

/// <summary>The store for several replicas: PostgreSQL. Its migrations are in Migrations/Postgres.</summary>
internal sealed class PostgresCoachBotDbContext(DbContextOptions<PostgresCoachBotDbContext> options) : CoachBotDbContext(options)
{
    public static DbContextOptions<PostgresCoachBotDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<PostgresCoachBotDbContext>().UseNpgsql(connectionString).Options;
}

/// <summary>
/// Lets <c>dotnet ef migrations add NAME --context PostgresCoachBotDbContext --output-dir Migrations/Postgres</c>
/// build the model without a server; adding a migration never connects.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCoachBotDbContext>
{
    public PostgresCoachBotDbContext CreateDbContext(string[] args) =>
        new(PostgresCoachBotDbContext.Options("Host=localhost;Database=coachbot"));
}
