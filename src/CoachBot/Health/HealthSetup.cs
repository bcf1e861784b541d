using CoachBot.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CoachBot.Health;

/// <summary>
/// ASP.NET Core health checks behind <c>/healthz</c> (the process is up: no check runs, so a slow database never gets a
/// healthy process restarted) and <c>/readyz</c> (every check tagged <see cref="ReadyTag"/>: 503 when one is unhealthy).
/// A part of the bot that can keep it from serving adds its own check with that tag, e.g.
/// <c>services.AddHealthChecks().AddCheck&lt;MyCheck&gt;("coaching-model", tags: [HealthSetup.ReadyTag])</c>.
/// </summary>
internal static class HealthSetup
{
    public const string ReadyTag = "ready";

    public static IHealthChecksBuilder AddCoachBotHealth(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddDbContextCheck<CoachBotDbContext>("database", tags: [ReadyTag])
            .AddCheck<RulePacksHealthCheck>("rule-packs", tags: [ReadyTag])
            .AddCheck<ChannelsHealthCheck>("channels", tags: [ReadyTag]);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthJson.WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthJson.WriteAsync,
        });
        return app;
    }
}
