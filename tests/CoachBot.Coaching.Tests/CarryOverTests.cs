using CoachBot.Coaching.Messages;

namespace CoachBot.Coaching.Tests;

/// <summary>The ideas the rules express, on wordings no rule example uses.</summary>
public sealed class CarryOverTests
{
    private static CoachingReply Review(string text, InputKind? kind = null) => DefaultCoach.Coach.Review(text, kind);

    [Theory]
    [InlineData("Do you ask your clients for referrals?")]
    [InlineData("Have you worked with an agency before? If so, what was that like?")]
    public void A_yes_no_shape_alone_does_not_make_a_question_revise(string question) =>
        Assert.Equal(Verdict.Ok, Review(question, InputKind.Question).Verdict);

    [Theory]
    [InlineData("Hello there, how is your afternoon going?", "self-serving.pleasantry-opener")]
    [InlineData("Could I pick your brain for a minute?", "self-serving.pleasantry-opener")]
    [InlineData("We have a premium support package, would you like to add it to your order?", "self-serving.buy-now")]
    [InlineData("What if we could throw in the installation for free?", "self-serving.buy-now")]
    [InlineData("How many employees do you have?", "self-serving.sizing")]
    public void Flags_self_serving_ideas_in_new_wording(string question, string rule)
    {
        var reply = Review(question, InputKind.Question);

        Assert.Equal(Verdict.Revise, reply.Verdict);
        Assert.Contains(reply.Findings, f => f.Rule == rule);
    }

    [Theory]
    [InlineData("Let me know if anything changes on your side.")]
    [InlineData("Give me a call back when you get a moment.")]
    [InlineData("Looking forward to hearing back from you!")]
    public void A_follow_up_that_hands_the_next_move_back_has_no_goal(string message)
    {
        var reply = Review(message);

        Assert.Equal(Verdict.Revise, reply.Verdict);
        Assert.Contains(reply.Findings, f => f.Rule == "message-anti-patterns.ball-in-their-court");
    }

    [Theory]
    [InlineData("Get a referral to the plant manager")]
    [InlineData("Book the site visit with their ops lead")]
    [InlineData("Signed contract for the Denver office")]
    public void A_terse_objective_naming_an_advance_is_a_goal(string note) =>
        Assert.DoesNotContain(Review(note, InputKind.CallNote).Findings, f => f.Rule == "call-goals.missing-goal");

    [Theory]
    [InlineData("What would a good year look like for you?", "good-questions.desired-outcome")]
    [InlineData("How does your team handle returns today?", "good-questions.open-invitation")]
    [InlineData("What led you to change suppliers last spring?", "good-questions.dig-deeper")]
    public void Praises_a_good_question_naming_what_works(string question, string rule)
    {
        var reply = Review(question, InputKind.Question);

        Assert.Equal(Verdict.Ok, reply.Verdict);
        Assert.Equal(rule, reply.Praise?.Rule);
    }

    [Fact]
    public void Does_not_praise_a_question_that_also_needs_revising()
    {
        var reply = Review("What is your budget, and how do you handle approvals today?", InputKind.Question);

        Assert.Equal(Verdict.Revise, reply.Verdict);
        Assert.Null(reply.Praise);
    }
}
