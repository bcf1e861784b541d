using CoachBot.Conversations;
using CoachBot.Leases;
using CoachBot.Nudges;
using CoachBot.Processing;
using CoachBot.Slack;
using CoachBot.SlackChannel;
using CoachBot.Storage;
using CoachBot.Teams;
using CoachBot.TeamsChannel;
using Microsoft.AspNetCore.Authentication;

namespace CoachBot.Hosting;

/// <summary>Storage, the inbox worker and the channels that are configured.</summary>
internal static class ChannelSetup
{
    /// <summary>Registers everything; returns the first configuration problem, naming the setting, or null.</summary>
    public static string? AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddCoachBotStorage(configuration);

        // Before the nudge scheduler and the inbox worker: the heartbeat frees this node's dead leases as it starts.
        services.AddSingleton(sp => NodeIdentity.Create(configuration, sp.GetRequiredService<ILoggerFactory>().CreateLogger<NodeIdentity>()));
        services.AddSingleton<HeldLeases>();
        services.AddSingleton<LeaseTimes>();
        services.AddHostedService<LeaseHeartbeat>();
        services.AddNudges(configuration, StorageOptions.FromConfiguration(configuration));

        if (services.AddCoachBotDataProtection(configuration) is { } keyRingProblem)
        {
            return keyRingProblem;
        }

        services.AddSingleton<InboxSignal>();
        services.AddSingleton(new RecentDeliveries());
        services.AddSingleton<Endpoints.InboxAcceptance>();
        services.AddSingleton<ConversationPacer>();
        services.AddScoped<CommandHandler>();
        services.AddScoped<CardPresses>();
        services.AddHostedService<InboxProcessor>();
        if (StorageOptions.FromConfiguration(configuration).Provider == StorageProvider.Sqlite)
        {
            services.AddHostedService<SqliteScrub>();
        }

        var slack = configuration.GetSection(SlackOptions.Section).Get<SlackOptions>() ?? new SlackOptions();
        var teams = configuration.GetSection(TeamsOptions.Section).Get<TeamsOptions>() ?? new TeamsOptions();
        if ((NodeIdentity.Problem(configuration) ?? slack.Problem() ?? teams.Problem()) is { } problem)
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
            // Bounded: while no key set was ever fetched, a request waits for the fetch, and a silent metadata host must not hold it for 100 s.
            services.AddHttpClient(nameof(TeamsRequestAuthenticator), c => c.Timeout = TimeSpan.FromSeconds(10));
            services.AddSingleton(sp => new TeamsRequestAuthenticator(
                teams.AppId!,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TeamsRequestAuthenticator)),
                sp.GetRequiredService<TimeProvider>(),
                teams.OpenIdMetadataUrl,
                teams.TokenIssuer));
            services.AddSingleton<IBotTokenSource>(_ => MsalBotTokenSource.Create(teams));
            services.AddHealthChecks().AddCheck<Health.TeamsKeysHealthCheck>("teams-signing-keys", tags: [Health.HealthSetup.ReadyTag]);
        }
        else
        {
            // The local playground: no tokens either way.
            services.AddSingleton<IBotTokenSource>(NoBotTokenSource.Instance);
        }

        // Only /api/messages asks for this scheme. With one scheme registered ASP.NET Core would make it the default and
        // run it (reading the body) on every request, Slack's and the probes' included; the switch keeps it opt-in.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, BotFrameworkAuthenticationHandler>(BotFrameworkAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
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
