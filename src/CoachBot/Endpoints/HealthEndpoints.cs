using CoachBot.Coaching;
using CoachBot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoachBot.Endpoints;

/// <summary>Liveness and readiness probes.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // The process is up; nothing else is checked, so a slow database never gets a healthy process restarted.
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));

        // Ready means requests can be accepted: the packs are loaded and the database answers.
        app.MapGet("/readyz", async Task<Results<Ok<ReadyStatus>, JsonHttpResult<ReadyStatus>>> (Coach coach, CoachBotDbContext db, CancellationToken cancellationToken) =>
        {
            var database = await CanConnectAsync(db, cancellationToken).ConfigureAwait(false);
            var status = new ReadyStatus(database ? "ready" : "database unreachable", coach.Engine.Rules.Count, database);
            return database ? TypedResults.Ok(status) : TypedResults.Json(status, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    private static async Task<bool> CanConnectAsync(CoachBotDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    internal sealed record ReadyStatus(string Status, int Rules, bool Database);
}
