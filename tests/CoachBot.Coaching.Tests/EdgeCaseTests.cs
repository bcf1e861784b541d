using CoachBot.Coaching.Messages;

namespace CoachBot.Coaching.Tests;

public sealed class EdgeCaseTests
{
    private static CoachingReply Review(string text) => DefaultCoach.Coach.Review(text);

    [Theory]
    [InlineData("Would you go with plan A, or B?")] // a one-letter word after ", or"
    [InlineData("Is it this one, or a?")]
    [InlineData("??? what ???")]
    [InlineData("\U0001F600 What happens to your team if this slips? \U0001F680")] // emoji around the question
    [InlineData("What's your budget?\r\nWho decides?\r\n")] // Windows line endings
    public void Coaches_awkward_but_real_text_without_failing(string text) =>
        Assert.NotNull(Review(text).Headline);

    [Fact]
    public void A_choice_ending_in_or_not_is_leading_but_a_word_starting_with_not_is_not()
    {
        Assert.Contains(Review("Is this a priority for you, or not?").Findings, f => f.Category == Categories.Leading);
        Assert.DoesNotContain(Review("Do you keep the plans in one place, or notes?").Findings, f => f.Category == Categories.Leading);
    }

    [Theory]
    [InlineData("<@U024BE7LH>")]
    [InlineData("<at>CoachBot</at>")]
    public void Text_that_is_only_a_mention_is_refused(string text) =>
        Assert.Throws<CoachingInputException>(() => Review(text));

    [Fact]
    public void A_call_plan_that_lists_questions_is_still_a_call_note()
    {
        var reply = Review("Call with Acme on Thursday.\nQuestions to ask:\nWhat happens if onboarding stays at six weeks?\nWho else feels that?");

        Assert.Equal(InputKind.CallNote, reply.Kind);
        Assert.Contains(reply.Findings, f => f.Category == Categories.MissingGoal);
        Assert.Contains(reply.Findings, f => f.Category == Categories.GoodQuestion);
    }

    [Fact]
    public void A_question_mark_inside_a_link_does_not_end_a_sentence()
    {
        var reply = Review("Check out https://acme.com/page?id=3 before the call with Dana.");

        Assert.Equal(InputKind.CallNote, reply.Kind);
    }

    [Fact]
    public void Numbers_in_angle_brackets_are_text_not_tags()
    {
        var reply = Review("Is your team <50 people today, and will it be >200 next year?");

        Assert.Contains("<50 people", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reason_given_right_after_a_question_rescues_it()
    {
        var reply = Review("What budget range are you working within? That way we only propose options that fit your plan. Who else feels this problem?");

        Assert.DoesNotContain(reply.Findings, f => f.Rule == "self-serving.budget");
    }

    [Fact]
    public void A_reason_given_just_before_a_question_in_a_message_rescues_it()
    {
        var reply = Review("Hi Dana,\nSo we only propose options that fit your plan. What budget range are you working within?\nThanks, Sam");

        Assert.Equal(InputKind.Message, reply.Kind);
        Assert.DoesNotContain(reply.Findings, f => f.Rule == "self-serving.budget");
    }

    [Fact]
    public void Every_default_example_reads_the_same_when_the_kind_is_detected()
    {
        var engine = DefaultCoach.Engine;
        Assert.All(engine.Rules, rule =>
        {
            foreach (var text in rule.Text.Fire)
            {
                Assert.True(engine.Fires(rule, text), $"{rule.Id} should fire on \"{text}\" without being told its kind");
            }

            foreach (var text in rule.Text.Silent)
            {
                Assert.False(engine.Fires(rule, text), $"{rule.Id} should stay silent on \"{text}\" without being told its kind");
            }
        });
    }
}
