namespace CoachBot.Storage;

/// <summary>What became of one day's nudge. Reserved is the only state that can change; the others are final.</summary>
public enum NudgeDeliveryState
{
    Reserved,
    Sent,
    Failed,
    Skipped,
}

/// <summary>How <see cref="NudgeDeliveries.ReserveAsync"/> went.</summary>
public enum NudgeReservation
{
    /// <summary>The day is settled, or someone else holds a live reservation.</summary>
    Refused,

    /// <summary>The first reservation of the day: nothing was posted yet.</summary>
    Fresh,

    /// <summary>An expired reservation taken over: an earlier attempt may have reached the channel.</summary>
    TakenOver,
}

/// <summary>
/// One subscription's nudge for one local date. The row is unique per (subscription, date), which is the final guard
/// that a conversation never gets the same day's nudge twice, whatever the schedulers on several replicas do.
/// </summary>
/// <remarks>
/// Times are UTC <see cref="DateTime"/>s, as in <see cref="InboxItem"/>: leases are compared inside SQL, which
/// SQLite can do with EF's sortable text for DateTime but not for DateTimeOffset.
/// </remarks>
public sealed class NudgeDelivery
{
    public long Id { get; internal set; }

    public long SubscriptionId { get; internal set; }

    /// <summary>The date in the subscription's time zone that this nudge is for.</summary>
    public DateOnly LocalDate { get; internal set; }

    public NudgeDeliveryState State { get; internal set; }

    /// <summary>The tip that went out, once Sent.</summary>
    public string? TipId { get; internal set; }

    /// <summary>Who holds (or last held) the reservation: a host's worker id.</summary>
    public string? Owner { get; internal set; }

    /// <summary>A reservation past this time belongs to a host that died mid-send and can be taken over.</summary>
    public DateTime? LeaseUntil { get; internal set; }

    public DateTime ReservedAt { get; internal set; }

    public DateTime? CompletedAt { get; internal set; }

    /// <summary>For Failed and Skipped: a short code (<c>teams.forbidden</c>, <c>too_late</c>), never message text.</summary>
    public string? Error { get; internal set; }
}
