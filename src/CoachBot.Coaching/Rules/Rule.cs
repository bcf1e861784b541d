using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules.Matchers;

namespace CoachBot.Coaching.Rules;

/// <summary>A loaded, compiled rule: what it says to the rep, and the conditions that make it fire.</summary>
public sealed class Rule
{
    internal Rule(RuleText text, Matcher match, Matcher? unless)
    {
        Text = text;
        Match = match;
        Unless = unless;
    }

    public RuleText Text { get; }

    public string Id => Text.Id;

    internal Matcher Match { get; }

    internal Matcher? Unless { get; }

    public bool AppliesTo(InputKind kind) => Text.AppliesTo.Contains(kind);
}

/// <summary>Everything a rule file says except its match: wording, level, examples and where it came from.</summary>
/// <param name="Suggestions">The generic rewrites, shown when the draft names nothing a template needs.</param>
/// <param name="Templates">For each suggestion, templates naming the draft's company, person, topic or product; may be empty.</param>
public sealed record RuleText(
    string Id,
    string Pack,
    string File,
    Level Level,
    Confidence Confidence,
    string Category,
    TrustFactor TrustFactor,
    IReadOnlyList<InputKind> AppliesTo,
    string Message,
    string Why,
    string Ask,
    IReadOnlyList<string> Suggestions,
    string Source,
    IReadOnlyList<string> Fire,
    IReadOnlyList<string> Silent,
    IReadOnlyList<IReadOnlyList<string>>? Templates = null)
{
    /// <summary>The rewrites for a draft that mentions <paramref name="names"/>: templates filled, or the generic examples.</summary>
    public IReadOnlyList<string> SuggestionsFor(Replies.DraftNames names) => Replies.Rewrites.FillAll(Suggestions, Templates ?? [], names);
}
