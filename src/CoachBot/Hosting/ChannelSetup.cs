using CoachBot.Processing;
using CoachBot.Slack;
using CoachBot.Storage;

namespace CoachBot.Hosting;

/// <summary>Storage, the inbox worker and the channels that are configured.</summary>
internal static class ChannelSetup
{
    /// <summary>Registers everything; returns the first configuration problem, naming the setting, or null.</summary>
    public static string? AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddCoachBotStorage(configuration);
        services.AddSingleton<InboxSignal>();
        services.AddSingleton(new RecentDeliveries());
        services.AddHostedService<InboxProcessor>();

        var slack = configuration.GetSection(SlackOptions.Section).Get<SlackOptions>() ?? new SlackOptions();
        if (slack.Problem() is { } problem)
        {
            return problem;
        }

        services.AddSingleton(slack);
        if (slack.Enabled)
        {
            services.AddSingleton(sp => new SlackSignatureVerifier(slack.SigningSecret!, sp.GetRequiredService<TimeProvider>()));
            services.AddHttpClient<SlackWebApiClient>();
        }

        return null;
    }

    /// <summary>Creates or upgrades the database before the first request can reach the inbox.</summary>
    public static async Task MigrateStorageAsync(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<StorageSchema>().MigrateAsync().ConfigureAwait(false);
    }

    public static bool SlackEnabled(this IServiceProvider services) => services.GetRequiredService<SlackOptions>().Enabled;
}
