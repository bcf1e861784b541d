using System.Collections.Concurrent;

namespace CoachBot.Storage;

/// <summary>
/// Keys this process has already persisted, so a retried delivery is acknowledged without a
/// database round trip. Only a fast path: the inbox's unique keys stay the authority (another
/// replica, or a key evicted from here, still ends as a duplicate in the database).
/// </summary>
/// <remarks>
/// Every accept passes through here, so it must not serialise them: the size is counted on the side rather than
/// read from <see cref="ConcurrentDictionary{TKey,TValue}.Count"/>, which takes every lock of the table (under load
/// that one property cost more than the rest of an acknowledgement), and the table is sized once up front.
/// </remarks>
public sealed class RecentDeliveries(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<string, byte> _keys = new(Environment.ProcessorCount, capacity + (capacity / 4), StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private int _count;

    public bool Contains(string channel, string? key) => key is not null && _keys.ContainsKey(Key(channel, key));

    /// <summary>Remembers keys that are now in the inbox (accepted or found there as duplicates).</summary>
    public void Remember(string channel, string? key)
    {
        if (key is null)
        {
            return;
        }

        var entry = Key(channel, key);
        if (!_keys.TryAdd(entry, 0))
        {
            return;
        }

        _order.Enqueue(entry);
        if (Interlocked.Increment(ref _count) <= capacity)
        {
            return;
        }

        // Oldest out first; a racing thread may evict the same one, so only a real removal counts down.
        while (Volatile.Read(ref _count) > capacity && _order.TryDequeue(out var oldest))
        {
            if (_keys.TryRemove(oldest, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }

    private static string Key(string channel, string key) => string.Concat(channel, "\u001F", key);
}
