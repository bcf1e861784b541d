using CoachBot.Coaching.Nudges;

namespace CoachBot.Storage;

/// <summary>A conversation that asked for a daily nudge, with its schedule and where it is in the tip rotation.</summary>
/// <remarks>
/// <see cref="NudgeSubscriptions"/> writes every field; callers read them. The time is local to the conversation's
/// zone, not UTC, so the nudge keeps its wall-clock time across daylight-saving changes.
/// </remarks>
public sealed class NudgeSubscription
{
    public long Id { get; internal set; }

    /// <summary><see cref="InboxItem.Slack"/> or <see cref="InboxItem.Teams"/>.</summary>
    public string Channel { get; internal set; } = "";

    /// <summary>The Slack team id or the Teams tenant id: which installation (token) posts the nudge.</summary>
    public string Workspace { get; internal set; } = "";

    /// <summary>The Slack channel id or the Teams conversation id; unique per channel.</summary>
    public string ConversationId { get; internal set; } = "";

    public TimeOnly LocalTime { get; internal set; }

    /// <summary>An IANA time zone id (<c>Europe/Berlin</c>); the caller checks that it exists.</summary>
    public string TimeZoneId { get; internal set; } = "";

    public NudgeDays Days { get; internal set; }

    /// <summary>Whether the nudge ends with a question to think about.</summary>
    public bool WithQuestion { get; internal set; }

    /// <summary>
    /// When the next nudge is due (UTC instant), computed by the caller from the schedule and skip date. The
    /// dispatcher polls on it (<see cref="NudgeSubscriptions.DueAsync"/>), so it moves on only once a day is settled.
    /// </summary>
    public DateTimeOffset NextDueAt { get; internal set; }

    /// <summary>A local date on which no nudge goes out ("skip tomorrow"); null for none.</summary>
    public DateOnly? SkipDate { get; internal set; }

    /// <summary>
    /// The rotation state: tip ids used in the current round, comma-separated in the order they went out. Kept across
    /// setting changes; see <see cref="NudgeSubscriptions.TakeNextTipAsync"/>.
    /// </summary>
    public string UsedTipIds { get; internal set; } = "";

    /// <summary>The user who subscribed (a channel user id); kept when someone else changes the settings.</summary>
    public string? CreatedBy { get; internal set; }

    public DateTimeOffset CreatedAt { get; internal set; }

    public DateTimeOffset UpdatedAt { get; internal set; }
}
