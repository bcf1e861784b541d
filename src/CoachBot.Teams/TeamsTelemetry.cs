using System.Diagnostics.Metrics;

namespace CoachBot.Teams;

/// <summary>Teams' side of the <c>CoachBot</c> meter: what only the Bot Connector client sees.</summary>
public static class TeamsTelemetry
{
    private static readonly Meter Meter = new("CoachBot");

    /// <summary>429s from the Bot Connector, each waited out or handed back to the caller.</summary>
    public static readonly Counter<long> RateLimited =
        Meter.CreateCounter<long>("coachbot.outbound.rate_limited.teams", "{response}", "HTTP 429 answers from the Bot Connector service");
}
