using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;

namespace CoachBot.Coaching.Tests;

public sealed class CoachingCardTests
{
    private const string Draft = "What does your purchasing process look like?";

    /// <summary>What a channel shows on the first view: headline, the three short parts with their labels, and the button labels.</summary>
    private static string FirstView(CoachingCard card)
    {
        var parts = new List<string> { card.Headline };
        if (card.Point is { } point)
        {
            parts.Add("What I noticed: " + point.Message);
        }
        else if (card.Praise is { } praise)
        {
            parts.Add("What's working: " + praise.Message);
        }

        if (card.Rewrite is { } rewrite)
        {
            parts.Add(card.RewriteLabel + ": \u201c" + rewrite + "\u201d");
        }

        if (card.Subject is { } subject)
        {
            parts.Add("Ask yourself: " + subject.Ask);
            parts.AddRange([CoachingActions.AnotherLabel, CoachingActions.WhyLabel, CoachingActions.HelpfulLabel, CoachingActions.NotHelpfulLabel]);
        }

        if (card.MoreCount > 0)
        {
            parts.Add(CoachingActions.MoreLabel(card.MoreCount));
        }

        if (card.Closing is { } closing)
        {
            parts.Add(closing);
        }

        return string.Join('\n', parts);
    }

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in DefaultCoach.Engine.Rules)
        {
            data.Add(rule.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_rules_first_view_fits_in_600_characters_with_names_and_one_more_thing(string id)
    {
        var rule = DefaultCoach.Engine.Rules.Single(r => r.Id == id);
        var names = new DraftNames("Harbor Foods", "Priya", "the spring pilot", "Route Planner");
        var state = rule.Text.Level == Level.Praise
            ? new CardState(rule.Text.AppliesTo[0], null, id, [], names)
            : new CardState(rule.Text.AppliesTo[0], id, "good-questions.problem", ["question-shape.closed-question"], names);

        var card = CoachingCard.Resolve(DefaultCoach.Engine, state)!;

        // Every rewrite can be the one showing.
        for (var i = 0; i < card.RewriteCount; i++)
        {
            var view = FirstView(card with { State = state with { Suggestion = i } });
            Assert.True(view.Length <= 600, $"{id}, rewrite {i + 1}: {view.Length} characters\n{view}");
        }
    }

    [Fact]
    public void The_first_view_keeps_the_reasons_and_the_trust_factor_for_later()
    {
        var card = CoachingCard.From(DefaultCoach.Coach.Review(Draft));

        Assert.False(card.State.ShowWhy);
        Assert.DoesNotContain("self-orientation", FirstView(card), StringComparison.Ordinal);
        Assert.DoesNotContain(card.Point!.Why, FirstView(card), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_points_wait_behind_one_more_thing()
    {
        var reply = DefaultCoach.Coach.Review(Draft);

        var card = CoachingCard.From(reply);

        Assert.Equal(reply.Points[0].Rule, card.Point!.Rule);
        Assert.Equal(reply.Findings.Count(f => f.Level != Level.Praise) - 1, card.More.Count);
        Assert.DoesNotContain(card.More, f => f.Rule == card.Point.Rule);
    }

    [Fact]
    public void A_card_drawn_again_from_its_state_is_the_card_that_was_sent()
    {
        var sent = CoachingCard.From(DefaultCoach.Coach.Review("calling Acme tomorrow to check in"));

        var state = CardState.FromData(sent.State.ToData(), IsPraise);
        var again = CoachingCard.Resolve(DefaultCoach.Engine, state)!;

        Assert.Equal(sent.State.ToData(), again.State.ToData());
        Assert.Equal(sent.Headline, again.Headline);
        Assert.Equal(sent.Rewrite, again.Rewrite);
        Assert.Contains("Acme", again.Rewrite, StringComparison.Ordinal);
        Assert.Equal(sent.More.Select(f => f.Rule), again.More.Select(f => f.Rule));
    }

    [Fact]
    public void Another_swaps_only_the_rewrite_and_says_which_of_how_many()
    {
        var card = CoachingCard.From(DefaultCoach.Coach.Review(Draft)).Press(CoachingActions.Why);

        var next = card.Press(CoachingActions.Another);

        Assert.NotEqual(card.Rewrite, next.Rewrite);
        Assert.Equal($"Try (2 of {card.RewriteCount})", next.RewriteLabel);
        Assert.True(next.State.ShowWhy);
        Assert.Equal(card.Point, next.Point);
        Assert.Equal(card.Rewrite, Enumerable.Range(0, card.RewriteCount - 1).Aggregate(next, (c, _) => c.Press(CoachingActions.Another)).Rewrite);
    }

    [Fact]
    public void Feedback_keeps_the_card_and_can_be_changed()
    {
        var card = CoachingCard.From(DefaultCoach.Coach.Review(Draft)).Press(CoachingActions.Another);

        var helpful = card.Press(CoachingActions.Helpful);
        var notHelpful = card.Press(CoachingActions.NotHelpful);
        var reason = notHelpful.Press(CoachingActions.Reason, FeedbackReasons.Tone);
        var changed = helpful.Press(CoachingActions.ChangeFeedback);

        Assert.Equal(card.Rewrite, helpful.Rewrite);
        Assert.StartsWith("Marked helpful", helpful.FeedbackLine, StringComparison.Ordinal);
        Assert.Contains("what was off?", notHelpful.FeedbackLine, StringComparison.Ordinal);
        Assert.Contains("(tone)", reason.FeedbackLine, StringComparison.Ordinal);
        Assert.Null(changed.FeedbackLine);
        Assert.Equal(card.Rewrite, changed.Rewrite);
    }

    [Fact]
    public void An_unknown_reason_changes_nothing()
    {
        var card = CoachingCard.From(DefaultCoach.Coach.Review(Draft));

        Assert.Equal(card.State, card.Press(CoachingActions.Reason, "the draft text").State);
    }

    [Fact]
    public void Damaged_button_data_reads_as_defaults_without_throwing()
    {
        var state = CardState.FromData(
            new Dictionary<string, string> { ["rule"] = "self-serving.budget", ["suggestion"] = "-3", ["kind"] = "poem", ["company"] = "{person}", ["feedback"] = "x" },
            IsPraise);

        Assert.Equal(new CardState(InputKind.Question, "self-serving.budget", null, [], DraftNames.None), state);
    }

    [Fact]
    public void A_card_whose_rule_left_the_packs_cannot_be_drawn() =>
        Assert.Null(CoachingCard.Resolve(DefaultCoach.Engine, new CardState(InputKind.Question, "gone.rule", null, [], DraftNames.None)));

    [Fact]
    public void Praise_alone_shows_what_works_and_a_follow_up_to_try()
    {
        var card = CoachingCard.From(DefaultCoach.Coach.Review("What happens to your renewal rate if onboarding keeps taking six weeks?"));

        Assert.Null(card.Point);
        Assert.NotNull(card.Praise);
        Assert.StartsWith("A follow-up to try", card.RewriteLabel, StringComparison.Ordinal);
    }

    private static bool IsPraise(string rule) => DefaultCoach.Engine.Rules.FirstOrDefault(r => r.Id == rule)?.Text.Level == Level.Praise;
}
