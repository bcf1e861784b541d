namespace CoachBot.Coaching.Messages;

/// <summary>One rule that fired on one piece of the rep's text.</summary>
/// <param name="Excerpt">The question or text the rule read (for a several-question message, the one question).</param>
public sealed record Finding(
    string Rule,
    string Category,
    Level Level,
    Confidence Confidence,
    TrustFactor TrustFactor,
    string Message,
    string Why,
    string Ask,
    IReadOnlyList<string> Suggestions,
    string Source,
    string Excerpt)
{
    /// <summary>The first rewrite to try; a rule always has at least one.</summary>
    public string Suggestion => Suggestions[0];
}
