using CoachBot.Coaching.Replies;

namespace CoachBot.Coaching.Tests;

public sealed class DraftNamesTests
{
    [Theory]
    [InlineData("calling Acme tomorrow to check in", "Acme", null, null, null)]
    [InlineData("Call Ana at Bluefin to touch base on the rollout.", "Bluefin", "Ana", "the rollout", null)]
    [InlineData("Coffee with Sam from Orbit to catch up on their plans.", "Orbit", "Sam", "their plans", null)]
    [InlineData("Meeting with Harbor Foods to go over the new pricing.", "Harbor Foods", null, "the new pricing", null)]
    [InlineData("Hi Marco, just checking in on the proposal. Let me know your thoughts. Thanks, Sam", null, "Marco", "the proposal", null)]
    [InlineData("Have you heard about our Route Planner?", null, null, null, "Route Planner")]
    [InlineData("Does Acme's team have budget for this?", "Acme", null, null, null)]
    public void Finds_the_company_person_topic_and_product_a_draft_names(string draft, string? company, string? person, string? topic, string? product) =>
        Assert.Equal(new DraftNames(company, person, topic, product), DraftNames.Find(draft));

    [Theory]
    [InlineData("What does your purchasing process look like?")]
    [InlineData("Do you have budget set aside for this quarter?")]
    [InlineData("Is the CRM migration on the list for Q3?")]
    [InlineData("I'll call them on Monday about it.")]
    [InlineData("Hey, circling back on my note from last week. Any update?")]
    public void Finds_nothing_in_a_draft_that_names_nothing(string draft) =>
        Assert.True(DraftNames.Find(draft).IsEmpty, DraftNames.Find(draft).ToString());

    [Fact]
    public void Ignores_names_too_long_to_be_a_name() =>
        Assert.Null(DraftNames.Find("calling " + string.Join(' ', Enumerable.Repeat("Verylongname", 6)) + " tomorrow").Company);
}
