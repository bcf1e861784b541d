using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Tests;

public sealed class ReplyComposerTests
{
    private static Finding F(string rule, Level level, Confidence confidence = Confidence.High, string category = Categories.SelfServing) =>
        new(rule, category, level, confidence, TrustFactor.SelfOrientation, "m", "w", "a?", ["s"], "src", "x");

    private static CoachingReply Compose(params Finding[] findings) =>
        ReplyComposer.Compose(new Evaluation("text", InputKind.Question, findings));

    [Fact]
    public void Praise_and_info_alone_keep_the_verdict_ok()
    {
        var reply = Compose(F("a", Level.Praise, category: Categories.GoodQuestion), F("b", Level.Info));

        Assert.Equal(Verdict.Ok, reply.Verdict);
        Assert.Equal("a", reply.Praise?.Rule);
    }

    [Theory]
    [InlineData(Level.Nudge)]
    [InlineData(Level.Concern)]
    public void A_nudge_or_a_concern_makes_the_verdict_revise(Level level) =>
        Assert.Equal(Verdict.Revise, Compose(F("a", level)).Verdict);

    [Fact]
    public void Leads_with_the_highest_level_then_the_most_confident()
    {
        var reply = Compose(F("nudge-low", Level.Nudge, Confidence.Low), F("concern", Level.Concern, Confidence.Low), F("nudge-high", Level.Nudge));

        Assert.Equal(["concern", "nudge-high", "nudge-low"], reply.Findings.Select(f => f.Rule));
        Assert.Equal("concern", reply.Points[0].Rule);
    }

    [Fact]
    public void Shows_one_point_and_a_second_only_for_a_different_problem_of_the_same_weight()
    {
        var same = Compose(F("a", Level.Nudge), F("b", Level.Nudge));
        var different = Compose(F("a", Level.Nudge), F("b", Level.Nudge, category: Categories.Leading), F("c", Level.Nudge, category: Categories.Pressure));

        Assert.Single(same.Points);
        Assert.Equal(["a", "b"], different.Points.Select(p => p.Rule));
    }

    [Fact]
    public void Says_nothing_stood_out_when_no_rule_fired()
    {
        var reply = Compose();

        Assert.Equal(Verdict.Ok, reply.Verdict);
        Assert.Empty(reply.Points);
        Assert.Null(reply.Praise);
        Assert.EndsWith("?", reply.Closing);
    }
}
