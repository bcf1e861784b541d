using System.Globalization;
using CoachBot.Coaching.Messages;

namespace CoachBot.Coaching.Replies;

/// <summary>What the rep said about a piece of advice with the feedback buttons.</summary>
public enum FeedbackMark
{
    None,
    Helpful,
    NotHelpful,
}

/// <summary>
/// Everything needed to draw a coaching card again after a button press, small enough to ride in the buttons
/// themselves (Teams <c>Action.Execute</c> data, Slack button values). The bot keeps no copy of the draft, so the
/// card carries its own state: rule ids, which rewrite and sections are showing, the feedback given, and the names
/// the rewrite already shows (never the draft itself).
/// </summary>
/// <param name="Point">The rule of the main point; null when nothing needs work.</param>
/// <param name="Praise">The praise rule, when the draft earned one.</param>
/// <param name="More">The other points, shown behind "1 more thing".</param>
/// <param name="Suggestion">Which rewrite of the main point (or the praise) is showing.</param>
public sealed record CardState(
    InputKind Kind,
    string? Point,
    string? Praise,
    IReadOnlyList<string> More,
    DraftNames Names,
    int Suggestion = 0,
    bool ShowWhy = false,
    bool ShowMore = false,
    FeedbackMark Feedback = FeedbackMark.None,
    string? Reason = null)
{
    /// <summary>The rule the buttons are about: the main point, or the praise when nothing needs work.</summary>
    public string? Subject => Point ?? Praise;

    /// <summary>The state as flat string pairs (Adaptive Card data keeps strings only; Slack encodes them in a button value).</summary>
    public IReadOnlyDictionary<string, string> ToData()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["kind"] = WireNames.Of(Kind) };
        if (Subject is { } subject)
        {
            // "rule" is the subject: the key feedback and older cards read.
            data["rule"] = subject;
        }

        if (Point is not null && Praise is not null)
        {
            data["praise"] = Praise;
        }

        if (More.Count > 0)
        {
            data["more"] = string.Join(',', More);
        }

        data["suggestion"] = Suggestion.ToString(CultureInfo.InvariantCulture);
        if (ShowWhy)
        {
            data["why"] = "1";
        }

        if (ShowMore)
        {
            data["open"] = "1";
        }

        if (Feedback != FeedbackMark.None)
        {
            data["feedback"] = Feedback == FeedbackMark.Helpful ? "helpful" : "not_helpful";
        }

        if (Reason is not null)
        {
            data["reason"] = Reason;
        }

        foreach (var slot in DraftNames.Slots)
        {
            if (Names[slot] is { } value)
            {
                data[slot] = value;
            }
        }

        return data;
    }

    /// <summary>
    /// Reads <see cref="ToData"/> back. The subject's level decides whether it is a point or the praise, so
    /// <paramref name="isPraise"/> looks the rule up; unknown or damaged values fall back to defaults, never throw.
    /// </summary>
    public static CardState FromData(IReadOnlyDictionary<string, string> data, Func<string, bool> isPraise)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(isPraise);
        var subject = NonEmpty(data, "rule");
        var praise = NonEmpty(data, "praise");
        string? point = null;
        if (subject is not null && praise is null && isPraise(subject))
        {
            praise = subject;
        }
        else
        {
            point = subject;
        }

        var kind = WireNames.TryParseKind(data.GetValueOrDefault("kind"), out var k) ? k : InputKind.Question;
        var more = NonEmpty(data, "more")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var suggestion = int.TryParse(data.GetValueOrDefault("suggestion"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var feedback = data.GetValueOrDefault("feedback") switch
        {
            "helpful" => FeedbackMark.Helpful,
            "not_helpful" => FeedbackMark.NotHelpful,
            _ => FeedbackMark.None,
        };
        var reason = NonEmpty(data, "reason") is { } r && FeedbackReasons.IsKnown(r) ? r : null;
        var names = new DraftNames(Name(data, "company"), Name(data, "person"), Name(data, "topic"), Name(data, "product"));
        return new CardState(
            kind, point, praise, more.Take(MaxMore).ToArray(), names, suggestion,
            data.GetValueOrDefault("why") == "1", data.GetValueOrDefault("open") == "1", feedback, feedback == FeedbackMark.NotHelpful ? reason : null);
    }

    /// <summary>The state after a press of <paramref name="action"/> (a <see cref="CoachingActions"/> id); unknown actions change nothing.</summary>
    /// <param name="rewrites">How many rewrites the subject has, so "Another suggestion" wraps round.</param>
    public CardState Press(string action, int rewrites, string? reason = null) => action switch
    {
        CoachingActions.Another => this with { Suggestion = (Suggestion + 1) % Math.Max(rewrites, 1) },
        CoachingActions.Why => this with { ShowWhy = true },
        CoachingActions.More => this with { ShowMore = true },
        CoachingActions.Helpful => this with { Feedback = FeedbackMark.Helpful, Reason = null },
        CoachingActions.NotHelpful => this with { Feedback = FeedbackMark.NotHelpful, Reason = null },
        CoachingActions.Reason when reason is not null && FeedbackReasons.IsKnown(reason) => this with { Feedback = FeedbackMark.NotHelpful, Reason = reason },
        CoachingActions.ChangeFeedback => this with { Feedback = FeedbackMark.None, Reason = null },
        _ => this,
    };

    /// <summary>At most this many other points ride along; coaching is one point at a time.</summary>
    public const int MaxMore = 3;

    private static string? NonEmpty(IReadOnlyDictionary<string, string> data, string key) =>
        data.GetValueOrDefault(key) is { Length: > 0 } value ? value : null;

    // Names come back from a client: keep them short, and brace-free so they can never look like a placeholder.
    private static string? Name(IReadOnlyDictionary<string, string> data, string key) =>
        NonEmpty(data, key) is { Length: <= 40 } value && value.IndexOfAny(['{', '}', '<', '>']) < 0 ? value : null;
}
