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

    public static bool TryParseKind(string? text, out InputKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "question": kind = InputKind.Question; return true;
            case "call_note" or "call-note" or "note": kind = InputKind.CallNote; return true;
            case "message": kind = InputKind.Message; return true;
            default: kind = default; return false;
        }
    }

    public static bool TryParseLevel(string? text, out Level level)
    {
        switch (text)
        {
            case "praise": level = Level.Praise; return true;
            case "info": level = Level.Info; return true;
            case "nudge": level = Level.Nudge; return true;
            case "concern": level = Level.Concern; return true;
            default: level = default; return false;
        }
    }

    public static bool TryParseConfidence(string? text, out Confidence confidence)
    {
        switch (text)
        {
            case "low": confidence = Confidence.Low; return true;
            case "medium": confidence = Confidence.Medium; return true;
            case "high": confidence = Confidence.High; return true;
            default: confidence = default; return false;
        }
    }

    public static bool TryParseTrustFactor(string? text, out TrustFactor factor)
    {
        switch (text)
        {
            case "credibility": factor = TrustFactor.Credibility; return true;
            case "reliability": factor = TrustFactor.Reliability; return true;
            case "intimacy": factor = TrustFactor.Intimacy; return true;
            case "self-orientation": factor = TrustFactor.SelfOrientation; return true;
            default: factor = default; return false;
        }
    }
}
