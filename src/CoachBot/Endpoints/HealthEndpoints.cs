using CoachBot.Coaching;

namespace CoachBot.Endpoints;

/// <summary>Liveness and readiness probes.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        app.MapGet("/readyz", (Coach coach) => TypedResults.Ok(new { status = "ready", rules = coach.Engine.Rules.Count }));
        return app;
    }
}
