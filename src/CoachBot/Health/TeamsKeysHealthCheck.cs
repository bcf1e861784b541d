using CoachBot.Teams;
using CoachBot.TeamsChannel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoachBot.Health;

/// <summary>
/// Teams' channel key source: the Bot Framework's signing keys can be had. Asking fetches them the first time, so a
/// host whose metadata is unreachable is not ready before the first activity finds out; once fetched, the last good
/// key set is served through failed refreshes, and this stays healthy.
/// </summary>
internal sealed class TeamsKeysHealthCheck(TeamsRequestAuthenticator authenticator, TeamsOptions teams, ILogger<TeamsKeysHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await authenticator.EnsureKeysAsync(cancellationToken).ConfigureAwait(false) is not { } unavailable)
        {
            return HealthCheckResult.Healthy("signing keys fetched");
        }

        if (unavailable.FirstOfOutage)
        {
            TeamsKeysLog.Unavailable(logger, teams);
        }

        return HealthCheckResult.Unhealthy("signing keys cannot be fetched from Teams:OpenIdMetadataUrl; Teams activities get 503");
    }
}
