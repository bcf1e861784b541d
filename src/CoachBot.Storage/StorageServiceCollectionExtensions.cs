using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoachBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CoachBotDbContext"/> on SQLite or PostgreSQL (see <see cref="StorageOptions"/>), with
    /// its services (<see cref="Inbox"/>, <see cref="SlackInstallations"/>, <see cref="ConversationReferences"/>,
    /// <see cref="Feedback"/>, <see cref="NudgeSubscriptions"/>, <see cref="NudgeDeliveries"/>) and
    /// <see cref="StorageSchema"/> scoped beside it. A bad connection string stops here,
    /// at start-up, naming the setting.
    /// </summary>
    public static IServiceCollection AddCoachBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = StorageOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);

        // Options are built once (optionsLifetime: Singleton); scoped, EF rebuilt them for every request and inbox item.
        if (options.Provider == StorageProvider.PostgreSql)
        {
            services.AddDbContext<CoachBotDbContext, PostgresCoachBotDbContext>(o => o.UseNpgsql(options.ConnectionString), optionsLifetime: ServiceLifetime.Singleton);
        }
        else
        {
            services.AddDbContext<CoachBotDbContext, SqliteCoachBotDbContext>(
                o => o.UseSqlite(options.ConnectionString).AddInterceptors(SqliteConnectionSetup.Instance),
                optionsLifetime: ServiceLifetime.Singleton);

            // One writer at a time per SQLite file; PostgreSQL goes without (Inbox and InboxWriter take it as optional).
            services.AddSingleton<WriteGate>();
        }

        services.AddScoped<Inbox>();
        services.AddSingleton<InboxWriter>();
        services.AddScoped<SlackInstallations>();
        services.AddScoped<ConversationReferences>();
        services.AddScoped<Feedback>();
        services.AddScoped<NudgeSubscriptions>();
        services.AddScoped<NudgeDeliveries>();
        services.AddScoped<StorageSchema>();
        return services;
    }
}
