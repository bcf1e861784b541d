namespace CoachBot.Coaching.Messages;

/// <summary>
/// The lower-case names the rule files, the command line and the channels use for the enums.
/// They are part of the public <c>check --format jsonl</c> contract, so they never change.
/// </summary>
public static class WireNames
{
    public static string Of(InputKind kind) => kind switch
    {
        InputKind.Question => "question",
        InputKind.CallNote => "call_note",
        InputKind.Message => "message",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Of(Level level) => level switch
    {
        Level.Praise => "praise",
        Level.Info => "info",
        Level.Nudge => "nudge",
        Level.Concern => "concern",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static string Of(Confidence confidence) => confidence switch
    {
        Confidence.Low => "low",
        Confidence.Medium => "medium",
        Confidence.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(confidence)),
    };

    public static string Of(TrustFactor factor) => factor switch
    {
        TrustFactor.Credibility => "credibility",
        TrustFactor.Reliability => "reliability",
        TrustFactor.Intimacy => "intimacy",
        TrustFactor.SelfOrientation => "self-orientation",
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };

    public static string Of(Verdict verdict) => verdict == Verdict.Ok ? "ok" : "revise";

    public static bool TryParseKind(string? text, out InputKind kind) =>
        TryParse(text is "call-note" or "note" ? "call_note" : text?.Trim().ToLowerInvariant(), Of, out kind);

    public static bool TryParseLevel(string? text, out Level level) => TryParse(text, Of, out level);

    public static bool TryParseConfidence(string? text, out Confidence confidence) => TryParse(text, Of, out confidence);

    public static bool TryParseTrustFactor(string? text, out TrustFactor factor) => TryParse(text, Of, out factor);

    /// <summary>The accepted names of an enum, for error messages: "praise, info, nudge, concern".</summary>
    public static string Names<T>(Func<T, string> name)
        where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(name));

    private static bool TryParse<T>(string? text, Func<T, string> name, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (name(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
