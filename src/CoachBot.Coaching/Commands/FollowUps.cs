using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Commands;

/// <summary>"Another suggestion" for a rule, and which of its suggestions it is.</summary>
/// <param name="Message">What the rule noticed, to show above the rewrite.</param>
public sealed record AlternativeSuggestion(string Rule, string Message, string Text, int Index, int Count);

/// <summary>"Why does this matter?" for a rule: its reasoning and where the idea comes from.</summary>
public sealed record RuleExplanation(string Rule, string Why, string Ask, string TrustFactor, string Source);

/// <summary>
/// Answers the buttons on a coaching reply. They carry only a rule id and a suggestion index (never
/// the rep's text), so everything here comes from the rule itself.
/// </summary>
public static class FollowUps
{
    /// <summary>The suggestion after <paramref name="shown"/>, wrapping round; null for an unknown rule.</summary>
    public static AlternativeSuggestion? Another(RuleEngine engine, string rule, int shown)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (Find(engine, rule) is not { } text || text.Suggestions.Count == 0)
        {
            return null;
        }

        var next = (Math.Max(shown, 0) + 1) % text.Suggestions.Count;
        return new AlternativeSuggestion(text.Id, text.Message, text.Suggestions[next], next, text.Suggestions.Count);
    }

    public static RuleExplanation? Why(RuleEngine engine, string rule)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return Find(engine, rule) is { } text
            ? new RuleExplanation(text.Id, text.Why, text.Ask, Messages.WireNames.Of(text.TrustFactor), text.Source)
            : null;
    }

    private static RuleText? Find(RuleEngine engine, string rule) =>
        engine.Rules.FirstOrDefault(r => string.Equals(r.Id, rule, StringComparison.Ordinal))?.Text;
}
