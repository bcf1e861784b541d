using CoachBot.Hosting;
using CoachBot.Slack;
using CoachBot.Teams;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoachBot.Health;

/// <summary>
/// Which channels are on. None is Degraded, not Unhealthy: the process works (the command line, the probes), it just
/// has nobody to talk to, which the operator should see rather than a plain "ready".
/// </summary>
internal sealed class ChannelsHealthCheck(SlackOptions slack, TeamsOptions teams) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["slack"] = slack.Enabled, ["teams"] = teams.Enabled };
        return Task.FromResult(slack.Enabled || teams.Enabled
            ? HealthCheckResult.Healthy(ChannelReport.Describe(slack, teams), data)
            : HealthCheckResult.Degraded(ChannelReport.NoneConfigured, data: data));
    }
}
