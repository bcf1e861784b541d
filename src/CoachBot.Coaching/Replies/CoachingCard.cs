using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Replies;

/// <summary>
/// What a coaching card shows, channel-neutral: Teams and Slack draw the same thing from it. Short first (what I
/// noticed, a rewrite, one question to ask yourself, buttons); the reasons, the trust factor and the source only
/// after "Why does this matter?"; the other points behind "1 more thing". Buttons change <see cref="State"/> and the
/// card is drawn again, so a press adds to the card or swaps the rewrite, and never takes the rewrite away.
/// </summary>
public sealed record CoachingCard(CardState State, string Headline, Finding? Point, Finding? Praise, IReadOnlyList<Finding> More, string? Closing)
{
    /// <summary>What the buttons and the rewrite are about: the main point, or the praise.</summary>
    public Finding? Subject => Point ?? Praise;

    public int RewriteCount => Subject?.Suggestions.Count ?? 0;

    /// <summary>The rewrite showing now (1-based <see cref="RewriteNumber"/> of <see cref="RewriteCount"/>).</summary>
    public string? Rewrite => Subject is { Suggestions.Count: > 0 } s ? s.Suggestions[RewriteNumber - 1] : null;

    public int RewriteNumber => RewriteCount == 0 ? 0 : (int)((uint)State.Suggestion % (uint)RewriteCount) + 1;

    /// <summary>"Try", or "Try (2 of 3)" when there are more to see; for praise, a follow-up question.</summary>
    public string RewriteLabel => (Point is null ? "A follow-up to try" : "Try") + (RewriteCount > 1 ? $" ({RewriteNumber} of {RewriteCount})" : "");

    /// <summary>How many things "1 more thing" holds: the other points, and the praise when there is also a point.</summary>
    public int MoreCount => More.Count + (Point is not null && Praise is not null ? 1 : 0);

    /// <summary>The first view: a coaching reply as it arrives.</summary>
    public static CoachingCard From(CoachingReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var point = reply.Points.Count > 0 ? reply.Points[0] : null;
        var more = reply.Findings
            .Where(f => f.Level != Level.Praise && f.Rule != point?.Rule)
            .DistinctBy(f => f.Rule)
            .Take(CardState.MaxMore)
            .ToList();
        var state = new CardState(reply.Kind, point?.Rule, reply.Praise?.Rule, [.. more.Select(f => f.Rule)], reply.Names ?? DraftNames.None);
        return new CoachingCard(state, reply.Headline, point, reply.Praise, more, point is null ? reply.Closing : null);
    }

    /// <summary>The card for <paramref name="state"/>, with the rules' current wording; null when its subject rule is gone.</summary>
    public static CoachingCard? Resolve(RuleEngine engine, CardState state)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(state);
        Finding? Find(string? rule) =>
            rule is null ? null
            : engine.Rules.FirstOrDefault(r => string.Equals(r.Id, rule, StringComparison.Ordinal))?.Text is { } text ? ToFinding(text, state.Names)
            : null;

        var point = Find(state.Point);
        var praise = Find(state.Praise);
        if (state.Subject is not null && (point ?? praise) is null)
        {
            return null;
        }

        var more = state.More.Select(Find).OfType<Finding>().ToList();
        var verdict = point is { Level: >= Level.Nudge } ? Verdict.Revise : Verdict.Ok;
        return new CoachingCard(
            state,
            ReplyComposer.Headline(state.Kind, verdict, point is null ? 0 : 1, praise is not null),
            point,
            praise,
            more,
            point is null ? ReplyComposer.Closing(state.Kind, verdict, praise is not null) : null);
    }

    /// <summary>The card after a button press.</summary>
    public CoachingCard Press(string action, string? reason = null) => this with { State = State.Press(action, RewriteCount, reason) };

    /// <summary>The trust factor in plain words, for the "why" section.</summary>
    public static string TrustLine(TrustFactor factor) => factor switch
    {
        TrustFactor.Credibility => "Trust: this is about credibility, whether the customer believes what you say.",
        TrustFactor.Reliability => "Trust: this is about reliability, whether the customer can count on the next step happening.",
        TrustFactor.Intimacy => "Trust: this is about intimacy, whether the customer feels safe telling you what is really going on.",
        TrustFactor.SelfOrientation => "Trust: this is about self-orientation, how much you seem to be in it for yourself rather than for them.",
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };

    /// <summary>The quiet line that replaces the feedback buttons once the rep has voted; null before.</summary>
    public string? FeedbackLine => State.Feedback switch
    {
        FeedbackMark.Helpful => "Marked helpful. Thanks!",
        FeedbackMark.NotHelpful when State.Reason is { } reason => $"Marked not helpful ({FeedbackReasons.LabelOf(reason).ToLowerInvariant()}). Thanks, that tells us what to fix.",
        FeedbackMark.NotHelpful => "Marked not helpful. If you have a second, what was off?",
        _ => null,
    };

    private static Finding ToFinding(RuleText text, DraftNames names) => new(
        text.Id, text.Category, text.Level, text.Confidence, text.TrustFactor, text.Message, text.Why, text.Ask,
        text.SuggestionsFor(names), text.Source, "");
}
