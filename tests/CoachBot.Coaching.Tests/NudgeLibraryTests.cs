using CoachBot.Coaching.Nudges;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Tests;

public sealed class NudgeLibraryTests
{
    private static readonly NudgeLibrary Library = NudgeLibrary.LoadDefault();

    [Fact]
    public void Ships_at_least_sixty_nudges_across_every_theme()
    {
        Assert.True(Library.All.Count >= 60, $"only {Library.All.Count} nudges");
        Assert.All(NudgeLibrary.Themes, theme => Assert.True(Library.All.Count(n => n.Theme == theme) >= 8, $"theme {theme} has fewer than 8"));
    }

    [Fact]
    public void Every_nudge_has_a_short_tip_a_practice_prompt_and_a_source()
    {
        Assert.All(Library.All, n =>
        {
            Assert.InRange(n.Tip.Length, 20, 280);
            Assert.InRange(n.Practice.Length, 20, 240);
            Assert.False(string.IsNullOrWhiteSpace(n.Source));
            Assert.StartsWith(n.Theme, n.Id, StringComparison.Ordinal);
        });
        Assert.Equal(Library.All.Count, Library.All.Select(n => n.Id).Distinct().Count());
    }

    [Fact]
    public void A_broken_nudge_names_the_entry_and_the_field()
    {
        var ex = Assert.Throws<RulePackException>(() => NudgeLibrary.Parse("nudges:\n  - id: x\n    theme: weather\n    title: t\n    tip: t\n    practice: p\n    source: s\n", "test.yaml"));

        var error = Assert.Single(ex.Errors);
        Assert.StartsWith("nudges[0].theme", error.Field, StringComparison.Ordinal);
        Assert.Contains("weather", error.Reason, StringComparison.Ordinal);
    }
}
