using CoachBot.Coaching;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoachBot.Health;

/// <summary>The rule packs are loaded (start-up stops when they cannot be); reports how many rules run.</summary>
internal sealed class RulePacksHealthCheck(Coach coach) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var rules = coach.Engine.Rules.Count;
        // "coaching" says whether the learned model coaches next to the rules or, if it did not load, the rules alone and why.
        var data = new Dictionary<string, object> { ["rules"] = rules, ["coaching"] = coach.Mode };
        return Task.FromResult(rules > 0
            ? HealthCheckResult.Healthy($"{rules} rules loaded", data)
            : HealthCheckResult.Unhealthy("no rules loaded", data: data));
    }
}
