using CoachBot.Coaching.Replies;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Tests;

/// <summary>Every rule's rewrites keep the rep's subject when the draft names one, and stay the generic example when it does not.</summary>
public sealed class RewriteTemplateTests
{
    private static readonly DraftNames Named = new("Zephyr Labs", "Noor", "the spring pilot", "Route Planner");

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in DefaultCoach.Engine.Rules)
        {
            data.Add(rule.Id);
        }

        return data;
    }

    private static RuleText Rule(string id) => DefaultCoach.Engine.Rules.Single(r => r.Id == id).Text;

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_suggestion_names_the_drafts_subject_when_it_has_one(string id)
    {
        var rule = Rule(id);

        var filled = rule.SuggestionsFor(Named);

        Assert.Equal(rule.Suggestions.Count, filled.Count);
        for (var i = 0; i < filled.Count; i++)
        {
            Assert.NotEqual(rule.Suggestions[i], filled[i]);
            Assert.DoesNotContain('{', filled[i]);
            Assert.True(
                new[] { Named.Company!, Named.Person!, Named.Topic!, Named.Product! }.Any(n => filled[i].Contains(n, StringComparison.Ordinal)),
                $"{id} suggestion {i} names nothing from the draft: {filled[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_suggestion_falls_back_to_the_generic_example_when_the_draft_names_nothing(string id)
    {
        var rule = Rule(id);

        Assert.Equal(rule.Suggestions, rule.SuggestionsFor(DraftNames.None));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Every_suggestion_reads_with_only_a_company_named(string id)
    {
        // The most common case for a call note: "calling Acme tomorrow". A company-only draft must not leave a gap.
        var rule = Rule(id);

        Assert.All(rule.SuggestionsFor(new DraftNames("Acme", null, null, null)), s => Assert.DoesNotContain('{', s));
    }

    [Fact]
    public void A_note_about_calling_acme_gets_a_rewrite_that_names_acme()
    {
        var reply = DefaultCoach.Coach.Review("calling Acme tomorrow to check in");

        var point = Assert.Single(reply.Points);
        Assert.Contains("Acme", point.Suggestion, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana", point.Suggestion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Call Ana at Bluefin to touch base on the rollout.", "Ana", "the rollout")]
    [InlineData("Hi Marco, just checking in on the proposal. Let me know your thoughts. Thanks, Sam", "Marco", "the proposal")]
    [InlineData("Does Acme have budget set aside for this quarter?", "Acme", null)]
    [InlineData("Meeting with Harbor Foods to go over the new pricing.", "Harbor Foods", null)]
    public void Real_drafts_get_rewrites_in_their_own_words(string draft, string name, string? topic)
    {
        var rewrite = DefaultCoach.Coach.Review(draft).Points[0].Suggestion;

        Assert.Contains(name, rewrite, StringComparison.Ordinal);
        if (topic is not null)
        {
            Assert.Contains(topic, rewrite, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_draft_that_names_nothing_gets_the_rules_example()
    {
        var reply = DefaultCoach.Coach.Review("What does your purchasing process look like?");

        var rule = DefaultCoach.Engine.Rules.Single(r => r.Id == reply.Points[0].Rule).Text;
        Assert.Equal(rule.Suggestions, reply.Points[0].Suggestions);
    }

    [Theory]
    [InlineData("Talk to {customer} first.", "uses {customer}")]
    [InlineData("No placeholder here.", "has no placeholder")]
    [InlineData("Ask {company} about {budget", "brace")]
    public void A_template_with_an_unknown_or_missing_placeholder_is_refused(string template, string problem) =>
        Assert.Contains(problem, Rewrites.Problem(template), StringComparison.Ordinal);

    [Fact]
    public void The_first_template_whose_names_the_draft_gives_wins() =>
        Assert.Equal(
            "Ask Acme.",
            Rewrites.Fill("Ask them.", ["Ask {person} at {company}.", "Ask {company}."], new DraftNames("Acme", null, null, null)));
}
