using System.Collections.Concurrent;

namespace CoachBot.Processing;

/// <summary>
/// Spaces posts to one conversation about a second apart, as Slack asks for <c>chat.postMessage</c> and Teams'
/// per-conversation limits need, while posts to different conversations go out in parallel.
/// </summary>
/// <remarks>
/// Each caller books the next free slot for its conversation and waits for it, so a burst to one channel
/// queues up in order instead of drawing 429s. Per process: replicas each pace their own posts, which the
/// channels' 429 handling covers.
/// </remarks>
internal sealed class ConversationPacer(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, long> _nextSlot = new(StringComparer.Ordinal);

    /// <summary>Waits until this conversation may be posted to, and books the slot after it.</summary>
    public Task WaitTurnAsync(string conversation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var slot = _nextSlot.AddOrUpdate(
            conversation,
            static (_, n) => n + Interval.Ticks,
            static (_, booked, n) => Math.Max(booked, n) + Interval.Ticks,
            now) - Interval.Ticks;
        if (_nextSlot.Count > PruneAbove)
        {
            Prune(now);
        }

        var wait = TimeSpan.FromTicks(slot - now);
        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, time, cancellationToken);
    }

    private void Prune(long now)
    {
        foreach (var (key, next) in _nextSlot)
        {
            if (next < now)
            {
                _nextSlot.TryRemove(KeyValuePair.Create(key, next));
            }
        }
    }
}
