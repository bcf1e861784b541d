namespace CoachBot.Leases;

/// <summary>
/// How long a lease lasts and how often work in progress renews it. A dead holder's work is taken over at most one
/// lease after its last renewal, so these bound the wait after a crash; the renewal comes three times a lease, so
/// one late or failed beat does not lose it.
/// </summary>
internal sealed class LeaseTimes(IConfiguration configuration)
{
    /// <summary>An inbox item's lease: a dead worker's items are claimed again 7 to 10 s after it died.</summary>
    public TimeSpan Inbox { get; } = TimeSpan.FromSeconds(10);

    /// <summary>A nudge day's reservation: <c>Nudges:LeaseSeconds</c>, 15 unless set.</summary>
    public TimeSpan Nudge { get; } = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Nudges:LeaseSeconds", 15), 3, 3600));

    public TimeSpan RenewEvery => (Inbox < Nudge ? Inbox : Nudge) / 3;
}
