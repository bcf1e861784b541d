namespace CoachBot.Storage.Tests;

public sealed class RecentDeliveriesTests
{
    [Fact]
    public void Remembers_persisted_keys_per_channel()
    {
        var recent = new RecentDeliveries();

        recent.Remember(InboxItem.Slack, "Ev1");

        Assert.True(recent.Contains(InboxItem.Slack, "Ev1"));
        Assert.False(recent.Contains(InboxItem.Teams, "Ev1"));
        Assert.False(recent.Contains(InboxItem.Slack, null));
    }

    [Fact]
    public void Forgets_the_oldest_keys_beyond_its_capacity()
    {
        var recent = new RecentDeliveries(capacity: 2);

        recent.Remember(InboxItem.Slack, "a");
        recent.Remember(InboxItem.Slack, "b");
        recent.Remember(InboxItem.Slack, "c");

        Assert.False(recent.Contains(InboxItem.Slack, "a"));
        Assert.True(recent.Contains(InboxItem.Slack, "b"));
        Assert.True(recent.Contains(InboxItem.Slack, "c"));
    }

    [Fact]
    public void Stays_within_its_capacity_when_many_requests_remember_at_once()
    {
        const int Capacity = 1_000;
        const int Threads = 8;
        var recent = new RecentDeliveries(Capacity);

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (var n = 0; n < 10_000; n++)
            {
                recent.Remember(InboxItem.Slack, $"Ev{t}-{n}");
            }
        });

        var kept = Enumerable.Range(0, Threads)
            .SelectMany(t => Enumerable.Range(0, 10_000).Select(n => $"Ev{t}-{n}"))
            .Count(key => recent.Contains(InboxItem.Slack, key));
        Assert.InRange(kept, Capacity - Threads, Capacity);

        // Eviction takes the oldest: keys remembered after the rush are all still there.
        var latest = Enumerable.Range(0, 100).Select(n => $"late-{n}").ToList();
        latest.ForEach(key => recent.Remember(InboxItem.Slack, key));
        Assert.All(latest, key => Assert.True(recent.Contains(InboxItem.Slack, key)));
    }
}
