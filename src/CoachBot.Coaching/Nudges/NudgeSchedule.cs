namespace CoachBot.Coaching.Nudges;

/// <summary>One due nudge: the instant it goes out and the channel's local date it belongs to.</summary>
public readonly record struct NudgeOccurrence(DateTimeOffset At, DateOnly LocalDate);

/// <summary>
/// When a channel's nudge is due, in the channel's own time zone, across daylight-saving changes:
/// 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
/// </summary>
/// <param name="LocalTime">The local time of day the nudge goes out.</param>
/// <param name="TimeZone">The channel's zone.</param>
/// <param name="Days">Weekdays (Monday to Friday, local) or every day.</param>
public sealed record NudgeSchedule(TimeOnly LocalTime, TimeZoneInfo TimeZone, NudgeDays Days)
{
    public const string DefaultTime = "09:00";

    /// <summary>
    /// A nudge that could not go out on time (the host was down) is still sent if this much late or less;
    /// later than that, a morning tip arriving after lunch does more harm than good, so the day is skipped.
    /// </summary>
    public static readonly TimeSpan LateWindow = TimeSpan.FromHours(2);

    /// <summary>The first occurrence strictly after <paramref name="after"/>, skipping <paramref name="skipDate"/>.</summary>
    public NudgeOccurrence Next(DateTimeOffset after, DateOnly? skipDate = null)
    {
        var localNow = TimeZoneInfo.ConvertTime(after, TimeZone);
        var date = DateOnly.FromDateTime(localNow.DateTime);

        // Two weeks always holds a weekday that isn't skipped.
        for (var i = 0; i < 14; i++, date = date.AddDays(1))
        {
            if (!IsNudgeDay(date) || date == skipDate)
            {
                continue;
            }

            var at = ToInstant(date);
            if (at > after)
            {
                return new NudgeOccurrence(at, date);
            }
        }

        throw new InvalidOperationException("No nudge day in the next two weeks; the schedule is inconsistent.");
    }

    /// <summary>The occurrence for a local date (whether or not it is a nudge day).</summary>
    public NudgeOccurrence On(DateOnly date) => new(ToInstant(date), date);

    public bool IsNudgeDay(DateOnly date) =>
        Days == NudgeDays.Daily || date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Whether an occurrence due at <paramref name="due"/> should still go out at <paramref name="now"/>.</summary>
    public static bool StillWorthSending(DateTimeOffset due, DateTimeOffset now) => now - due <= LateWindow;

    private DateTimeOffset ToInstant(DateOnly date)
    {
        var local = date.ToDateTime(LocalTime, DateTimeKind.Unspecified);
        if (TimeZone.IsInvalidTime(local))
        {
            // The clocks jumped over this time (spring forward): go out at the first minute that exists,
            // which is the same wall-clock time shifted by the jump, as the clocks on the wall read.
            var offsetBefore = TimeZone.GetUtcOffset(local.AddHours(-3));
            var utc = DateTime.SpecifyKind(local - offsetBefore, DateTimeKind.Utc);
            return new DateTimeOffset(utc).ToOffset(TimeZone.GetUtcOffset(utc));
        }

        // An ambiguous time (fall back) happens twice; the first one is the one people mean.
        var offset = TimeZone.IsAmbiguousTime(local) ? TimeZone.GetAmbiguousTimeOffsets(local).Max() : TimeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
