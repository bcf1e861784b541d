using System.Diagnostics;
using System.Diagnostics.Metrics;
using CoachBot.Coaching.Messages;

namespace CoachBot.Hosting;

/// <summary>
/// The host's metrics and traces, under the name <c>CoachBot</c>. Tags are ids and categories, never message text.
/// </summary>
internal static class CoachBotTelemetry
{
    public const string Name = "CoachBot";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Coached =
        Meter.CreateCounter<long>("coachbot.messages.coached", "{message}", "Messages and commands answered with coaching, by channel");

    private static readonly Counter<long> Findings =
        Meter.CreateCounter<long>("coachbot.findings", "{finding}", "Rule findings in coaching replies, by category");

    private static readonly Counter<long> NudgesSent =
        Meter.CreateCounter<long>("coachbot.nudges.sent", "{nudge}", "Daily nudges posted, by channel");

    private static readonly Counter<long> NudgesFailed =
        Meter.CreateCounter<long>("coachbot.nudges.failed", "{nudge}", "Daily nudges that could not be posted, by channel and reason");

    private static (int Pending, double OldestSeconds) _inbox;

    static CoachBotTelemetry()
    {
        Meter.CreateObservableGauge("coachbot.inbox.depth", () => _inbox.Pending, "{item}", "Inbox items waiting to be processed");
        Meter.CreateObservableGauge("coachbot.inbox.oldest_age", () => _inbox.OldestSeconds, "s", "How long the oldest waiting inbox item has waited");
    }

    public static void RecordCoached(string channel, CoachingReply reply)
    {
        Coached.Add(1, new KeyValuePair<string, object?>("channel", channel));
        foreach (var finding in reply.Findings)
        {
            Findings.Add(1, new KeyValuePair<string, object?>("category", finding.Category));
        }
    }

    public static void RecordNudgeSent(string channel) => NudgesSent.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public static void RecordNudgeFailed(string channel, string reason) =>
        NudgesFailed.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("reason", reason));

    public static void RecordInbox(int pending, TimeSpan oldest) => _inbox = (pending, oldest.TotalSeconds);
}
