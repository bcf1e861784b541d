using System.Collections.Concurrent;

namespace CoachBot.Slack.Tests;

/// <summary>
/// A clock whose timers fire at once and move its time forward: Retry-After waits cost the test nothing,
/// and the test reads which waits were asked for.
/// </summary>
internal sealed class InstantClock(DateTimeOffset start) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();
    private long _elapsedTicks;

    public InstantClock()
        : this(DateTimeOffset.FromUnixTimeSeconds(1_715_000_000))
    {
    }

    public IReadOnlyList<TimeSpan> Waits => [.. _waits];

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(Interlocked.Read(ref _elapsedTicks));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _waits.Enqueue(dueTime);
        Interlocked.Add(ref _elapsedTicks, dueTime.Ticks);

        // On the thread pool: the caller is still setting up when CreateTimer returns.
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
