using CoachBot.Coaching.Commands;

namespace CoachBot.Coaching.Tests;

public sealed class FollowUpsTests
{
    [Fact]
    public void Another_suggestion_moves_to_the_rules_next_suggestion_and_wraps()
    {
        var rule = DefaultCoach.Engine.Rules.First(r => r.Text.Suggestions.Count > 1).Text;
        var second = FollowUps.Another(DefaultCoach.Engine, rule.Id, 0)!;
        Assert.Equal(rule.Suggestions[1], second.Text);
        Assert.Equal(1, second.Index);
        var wrapped = FollowUps.Another(DefaultCoach.Engine, rule.Id, rule.Suggestions.Count - 1)!;
        Assert.Equal(rule.Suggestions[0], wrapped.Text);
    }

    [Fact]
    public void Why_explains_from_the_rule_itself()
    {
        var rule = DefaultCoach.Engine.Rules[0].Text;
        var why = FollowUps.Why(DefaultCoach.Engine, rule.Id)!;
        Assert.Equal(rule.Why, why.Why);
        Assert.Equal(rule.Source, why.Source);
    }

    [Fact]
    public void Unknown_rules_have_no_follow_up()
    {
        Assert.Null(FollowUps.Another(DefaultCoach.Engine, "no-such-rule", 0));
        Assert.Null(FollowUps.Why(DefaultCoach.Engine, "no-such-rule"));
    }
}
