using CoachBot.Conversations;
using CoachBot.Nudges;
using CoachBot.Processing;
using CoachBot.Slack;
using CoachBot.SlackChannel;
using CoachBot.Storage;
using CoachBot.Teams;
using CoachBot.TeamsChannel;
using Microsoft.AspNetCore.DataProtection;

namespace CoachBot.Hosting;

/// <summary>Storage, the inbox worker and the channels that are configured.</summary>
internal static class ChannelSetup
{
    /// <summary>Registers everything; returns the first configuration problem, naming the setting, or null.</summary>
    public static string? AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddCoachBotStorage(configuration);
        services.AddNudges(configuration, StorageOptions.FromConfiguration(configuration));

        // Keys live in the database, so every replica can read tokens any of them encrypted.
        services.AddDataProtection().SetApplicationName("CoachBot").PersistKeysToDbContext<CoachBotDbContext>();

        services.AddSingleton<InboxSignal>();
        services.AddSingleton(new RecentDeliveries());
        services.AddSingleton<Endpoints.InboxAcceptance>();
        services.AddSingleton<ConversationPacer>();
        services.AddScoped<CommandHandler>();
        services.AddScoped<CardPresses>();
        services.AddHostedService<InboxProcessor>();

        var slack = configuration.GetSection(SlackOptions.Section).Get<SlackOptions>() ?? new SlackOptions();
        var teams = configuration.GetSection(TeamsOptions.Section).Get<TeamsOptions>() ?? new TeamsOptions();
        if ((slack.Problem() ?? teams.Problem()) is { } problem)
        {
            return problem;
        }

        services.AddSingleton(slack);
        services.AddSingleton(teams);
        services.AddSingleton<TrustedServiceUrls>();
        if (slack.Enabled)
        {
            services.AddSingleton(sp => new SlackSignatureVerifier(slack.SigningSecret!, sp.GetRequiredService<TimeProvider>()));
            services.AddSlackWebApi();
            services.AddScoped<SlackTokens>();
            services.AddScoped<SlackWork>();
            services.AddSingleton<SlackOAuthState>();
        }

        if (teams.Enabled)
        {
            services.AddTeamsChannel(teams);
        }

        return null;
    }

    private static void AddTeamsChannel(this IServiceCollection services, TeamsOptions teams)
    {
        if (teams.AuthEnabled)
        {
            services.AddHttpClient(nameof(TeamsRequestAuthenticator));
            services.AddSingleton(sp => new TeamsRequestAuthenticator(
                teams.AppId!,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TeamsRequestAuthenticator)),
                sp.GetRequiredService<TimeProvider>(),
                teams.OpenIdMetadataUrl,
                teams.TokenIssuer));
            services.AddSingleton<IBotTokenSource>(_ => MsalBotTokenSource.Create(teams));
        }
        else
        {
            // The local playground: no tokens either way.
            services.AddSingleton<IBotTokenSource>(NoBotTokenSource.Instance);
        }

        services.AddHttpClient<BotConnectorClient>(TeamsHttp.ConfigureClient).AddPostSafeResilience();
        services.AddScoped<TeamsWork>();
    }

    /// <summary>Creates or upgrades the database before the first request can reach the inbox.</summary>
    public static async Task MigrateStorageAsync(this IServiceProvider services)
    {
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<StorageSchema>().MigrateAsync().ConfigureAwait(false);
    }

    public static bool SlackEnabled(this IServiceProvider services) => services.GetRequiredService<SlackOptions>().Enabled;

    public static bool SlackOAuthEnabled(this IServiceProvider services) =>
        services.GetRequiredService<SlackOptions>() is { Enabled: true, ClientId.Length: > 0, ClientSecret.Length: > 0 };

    public static bool TeamsEnabled(this IServiceProvider services) => services.GetRequiredService<TeamsOptions>().Enabled;
}
