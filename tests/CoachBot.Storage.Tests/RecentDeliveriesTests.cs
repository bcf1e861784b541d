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
}
