using System.Collections.Concurrent;

namespace CoachBot.Storage;

/// <summary>
/// Keys this process has already persisted, so a retried delivery is acknowledged without a
/// database round trip. Only a fast path: the inbox's unique keys stay the authority (another
/// replica, or a key evicted from here, still ends as a duplicate in the database).
/// </summary>
public sealed class RecentDeliveries(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public bool Contains(string channel, string? key) => key is not null && _keys.ContainsKey(Key(channel, key));

    /// <summary>Remembers keys that are now in the inbox (accepted or found there as duplicates).</summary>
    public void Remember(string channel, string? key)
    {
        if (key is null || !_keys.TryAdd(Key(channel, key), 0))
        {
            return;
        }

        _order.Enqueue(Key(channel, key));
        while (_keys.Count > capacity && _order.TryDequeue(out var oldest))
        {
            _keys.TryRemove(oldest, out _);
        }
    }

    private static string Key(string channel, string key) => channel + "\u001F" + key;
}
