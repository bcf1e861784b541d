namespace CoachBot.Leases;

/// <summary>
/// The work this process is doing now under a lease: inbox items and nudge days (by subscription).
/// <see cref="LeaseHeartbeat"/> renews exactly these, so a lease outlives its work however long a post takes, yet an
/// item left behind (its worker gave up on it) is not kept alive.
/// </summary>
internal sealed class HeldLeases
{
    private readonly Dictionary<long, int> _inbox = [];
    private readonly Dictionary<long, int> _nudges = [];

    /// <summary>Renews inbox item <paramref name="id"/>'s lease until the returned handle is disposed.</summary>
    public IDisposable HoldInboxItem(long id) => new Hold(_inbox, id);

    /// <summary>Renews the reservation of <paramref name="subscriptionId"/>'s day until the returned handle is disposed.</summary>
    public IDisposable HoldNudge(long subscriptionId) => new Hold(_nudges, subscriptionId);

    public IReadOnlyCollection<long> InboxItems => Snapshot(_inbox);

    public IReadOnlyCollection<long> Nudges => Snapshot(_nudges);

    private static long[] Snapshot(Dictionary<long, int> held)
    {
        lock (held)
        {
            return [.. held.Keys];
        }
    }

    private sealed class Hold : IDisposable
    {
        private readonly Dictionary<long, int> _held;
        private readonly long _id;
        private bool _disposed;

        public Hold(Dictionary<long, int> held, long id)
        {
            _held = held;
            _id = id;
            lock (held)
            {
                held[id] = held.GetValueOrDefault(id) + 1;
            }
        }

        public void Dispose()
        {
            lock (_held)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                if (--_held[_id] == 0)
                {
                    _held.Remove(_id);
                }
            }
        }
    }
}
