namespace CoachBot.Storage;

/// <summary>Where an inbox item is in its life. Done and Failed are final.</summary>
public enum InboxState
{
    Pending,
    Done,
    Failed,
}

/// <summary>
/// One delivery from a channel, persisted before the channel is answered so that nothing accepted is lost.
/// </summary>
/// <remarks>
/// Callers set <see cref="Channel"/>, <see cref="DeliveryKey"/>, <see cref="DedupeKey"/> and <see cref="Payload"/>;
/// <see cref="Inbox"/> owns the rest. The row outlives processing (only the payload goes) because later
/// duplicates of the delivery must still find it.
/// </remarks>
public sealed class InboxItem
{
    public const string Slack = "slack";
    public const string Teams = "teams";

    public long Id { get; internal set; }

    /// <summary><see cref="Slack"/> or <see cref="Teams"/>.</summary>
    public required string Channel { get; init; }

    /// <summary>The channel's id for this delivery (Slack <c>event_id</c>, Teams activity id); unique per channel.</summary>
    public required string DeliveryKey { get; init; }

    /// <summary>
    /// A second key for the same message arriving under a new delivery id (Slack <c>channel:ts</c>); unique per
    /// channel when present.
    /// </summary>
    public string? DedupeKey { get; init; }

    /// <summary>The raw body, needed to process the item; removed once the item is Done or Failed.</summary>
    public string? Payload { get; set; }

    public DateTime ReceivedAt { get; internal set; }

    /// <summary>Claims so far, counting ones whose worker died holding the lease.</summary>
    public int Attempts { get; internal set; }

    public DateTime NextAttemptAt { get; internal set; }

    public DateTime? LeaseUntil { get; internal set; }

    public string? LeaseOwner { get; internal set; }

    public InboxState State { get; internal set; }

    /// <summary>A short error code (<c>slack.rate_limited</c>), never message text.</summary>
    public string? LastError { get; internal set; }
}
