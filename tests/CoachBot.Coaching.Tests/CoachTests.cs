using CoachBot.Coaching.Messages;

namespace CoachBot.Coaching.Tests;

public sealed class CoachTests
{
    private static CoachingReply Review(string text, InputKind? kind = null) => DefaultCoach.Coach.Review(text, kind);

    [Fact]
    public void Flags_purchasing_process_question_as_self_serving()
    {
        var reply = Review("What does your purchasing process look like?");

        Assert.Equal(InputKind.Question, reply.Kind);
        Assert.Equal(Verdict.Revise, reply.Verdict);
        Assert.Equal(Categories.SelfServing, reply.Points[0].Category);
        Assert.Contains(TrustFactor.SelfOrientation, reply.TrustFactors);
    }

    [Fact]
    public void Leaves_a_qualifying_question_alone_when_it_says_what_answering_does_for_the_customer()
    {
        var reply = Review("So that your rollout plan fits your team's calendar, how do decisions like this usually get made on your side?");

        Assert.DoesNotContain(reply.Findings, f => f.Category == Categories.SelfServing);
    }

    [Fact]
    public void Judges_each_question_of_a_message_on_its_own()
    {
        var reply = Review("What happens to your renewals if onboarding keeps taking six weeks? And do you have budget for this?");

        Assert.Equal(InputKind.Question, reply.Kind);
        Assert.Contains(reply.Findings, f => f.Category == Categories.GoodQuestion && f.Excerpt.Contains("renewals", StringComparison.Ordinal));
        Assert.Contains(reply.Findings, f => f.Category == Categories.SelfServing && f.Excerpt.Contains("budget", StringComparison.Ordinal));
        Assert.DoesNotContain(reply.Findings, f => f.Category == Categories.SelfServing && f.Excerpt.Contains("renewals", StringComparison.Ordinal));
    }

    [Fact]
    public void Praises_an_implication_question_and_keeps_the_verdict_ok()
    {
        var reply = Review("How does the delay in quoting affect the deals your reps can take on?");

        Assert.Equal(Verdict.Ok, reply.Verdict);
        Assert.NotNull(reply.Praise);
        Assert.Equal(Categories.GoodQuestion, reply.Praise.Category);
    }

    [Fact]
    public void Flags_a_call_note_with_no_goal()
    {
        var reply = Review("Demo for Initech on Wednesday.");

        Assert.Equal(InputKind.CallNote, reply.Kind);
        Assert.Equal(Verdict.Revise, reply.Verdict);
        Assert.Contains(reply.Findings, f => f.Category == Categories.MissingGoal);
    }

    [Fact]
    public void Flags_check_in_as_a_continuation_not_a_goal()
    {
        var reply = Review("Calling Acme tomorrow to check in.");

        Assert.Equal(InputKind.CallNote, reply.Kind);
        Assert.Equal(Verdict.Revise, reply.Verdict);
        Assert.Contains(reply.Findings, f => f.Category == Categories.ContinuationGoal);
    }

    [Fact]
    public void Praises_a_goal_that_names_a_customer_action_and_a_time()
    {
        var reply = Review("Initech call: goal is for Maya to agree to a two-week pilot starting on Monday.");

        Assert.Equal(InputKind.CallNote, reply.Kind);
        Assert.Equal(Verdict.Ok, reply.Verdict);
        Assert.Equal(Categories.GoodGoal, reply.Praise?.Category);
    }

    [Theory]
    [InlineData("What does your purchasing process look like?", InputKind.Question)]
    [InlineData("what keeps your team from shipping faster", InputKind.Question)] // no question mark, but it opens like a question
    [InlineData("Calling Acme tomorrow to check in.", InputKind.CallNote)]
    [InlineData("Will ping Globex to see if they read the deck.", InputKind.CallNote)] // "will" opens it, but it is a plan, not a question
    [InlineData("Hi Dana, just checking in to see if you had a chance to look at the proposal. Thanks, Sam", InputKind.Message)]
    [InlineData("Just wanted to make sure you saw our new pricing.", InputKind.Message)] // written to "you": a message
    public void Detects_what_kind_of_text_the_rep_sent(string text, InputKind expected) =>
        Assert.Equal(expected, Review(text).Kind);

    [Fact]
    public void Strips_a_slack_mention_before_reading_the_question()
    {
        var reply = Review("<@U024BE7LH> *What does your purchasing process look like?*");

        Assert.Equal("What does your purchasing process look like?", reply.Text);
        Assert.Equal(Verdict.Revise, reply.Verdict);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public void Refuses_empty_text_with_a_sentence_for_the_rep(string text)
    {
        var ex = Assert.Throws<CoachingInputException>(() => DefaultCoach.Coach.Review(text));
        Assert.Contains("no text", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Refuses_text_over_the_length_limit()
    {
        var ex = Assert.Throws<CoachingInputException>(() => DefaultCoach.Coach.Review(new string('a', InputCheck.MaxLength + 1)));
        Assert.Contains("4,000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_binary_junk()
    {
        var junk = new string(Enumerable.Range(0, 200).Select(i => (char)(i % 32)).ToArray());
        var ex = Assert.Throws<CoachingInputException>(() => DefaultCoach.Coach.Review(junk));
        Assert.Contains("doesn't look like text", ex.Message, StringComparison.Ordinal);
    }
}
