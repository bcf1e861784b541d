using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Tests;

public sealed class RulePackTests
{
    public static TheoryData<string, bool, int> Examples()
    {
        var data = new TheoryData<string, bool, int>();
        foreach (var rule in DefaultCoach.Engine.Rules)
        {
            for (var i = 0; i < rule.Text.Fire.Count; i++)
            {
                data.Add(rule.Id, true, i);
            }

            for (var i = 0; i < rule.Text.Silent.Count; i++)
            {
                data.Add(rule.Id, false, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_default_rule_behaves_as_its_own_examples_say(string ruleId, bool shouldFire, int index)
    {
        var rule = DefaultCoach.Engine.Rules.Single(r => r.Id == ruleId);
        var result = RuleExamples.Run(DefaultCoach.Engine, rule).Single(r => r.ShouldFire == shouldFire && r.Index == index);
        Assert.True(result.Passed, $"{ruleId} {(shouldFire ? "should fire on" : "should stay silent on")}: \"{result.Example}\"");
    }

    [Fact]
    public void Every_default_rule_has_examples_that_fire_and_stay_silent()
    {
        Assert.All(DefaultCoach.Engine.Rules, rule =>
        {
            Assert.NotEmpty(rule.Text.Fire);
            Assert.NotEmpty(rule.Text.Silent);
        });
    }

    [Fact]
    public void Default_packs_cover_every_area_the_coach_is_for()
    {
        var packs = DefaultCoach.Engine.Packs;
        Assert.Contains("self-serving", packs);
        Assert.Contains("question-shape", packs);
        Assert.Contains("good-questions", packs);
        Assert.Contains("call-goals", packs);
        Assert.Contains("message-anti-patterns", packs);
        var categories = DefaultCoach.Engine.Rules.Select(r => r.Text.Category).ToHashSet();
        Assert.Contains(Categories.SelfServing, categories);
        Assert.Contains(Categories.MissingGoal, categories);
        Assert.Contains(Categories.ContinuationGoal, categories);
        Assert.Contains(Categories.GoodQuestion, categories);
        Assert.Contains(Categories.GoodGoal, categories);
    }

    [Fact]
    public void Every_default_rule_coaches_with_a_why_a_question_and_a_rewrite()
    {
        Assert.All(DefaultCoach.Engine.Rules, rule =>
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Text.Why));
            Assert.EndsWith("?", rule.Text.Ask.TrimEnd());
            Assert.InRange(rule.Text.Suggestions.Count, 1, 3);
            Assert.False(string.IsNullOrWhiteSpace(rule.Text.Source));
        });
    }
}
