using System.Diagnostics.Metrics;

namespace CoachBot.Slack;

/// <summary>Slack's side of the <c>CoachBot</c> meter: what only the client sees (the host adds the rest).</summary>
public static class SlackTelemetry
{
    private static readonly Meter Meter = new("CoachBot");

    /// <summary>429s from Slack, each waited out or given up on; a steady count means posts are paced too fast.</summary>
    public static readonly Counter<long> RateLimited =
        Meter.CreateCounter<long>("coachbot.outbound.rate_limited.slack", "{response}", "HTTP 429 answers from Slack's Web API");
}
