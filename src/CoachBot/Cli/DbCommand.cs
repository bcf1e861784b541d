using System.CommandLine;
using CoachBot.Storage;

namespace CoachBot.Cli;

/// <summary><c>coachbot db migrate</c>: creates or upgrades the configured database, as start-up does.</summary>
internal static class DbCommand
{
    public static Command Create(IConfiguration configuration)
    {
        var migrate = new Command("migrate", "Create or upgrade the database (SQLite in Storage:DataDirectory, or ConnectionStrings:CoachBot).");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            var services = new ServiceCollection();
            services.AddCoachBotStorage(configuration);
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var storage = scope.ServiceProvider.GetRequiredService<StorageOptions>();
            await scope.ServiceProvider.GetRequiredService<StorageSchema>().MigrateAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine(storage.Provider == StorageProvider.PostgreSql
                ? "PostgreSQL database (ConnectionStrings:CoachBot) is up to date."
                : $"SQLite database in {storage.DataDirectory} is up to date.");
            return ExitCodes.Ok;
        });

        return new Command("db", "Database maintenance.") { migrate };
    }
}
