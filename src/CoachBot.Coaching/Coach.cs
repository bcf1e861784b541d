using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching;

/// <summary>
/// The one call channels and the command line make: a rep's text in, a coaching reply out.
/// Thread-safe; build one per process with <see cref="RulePackLoader"/>.
/// </summary>
public sealed class Coach(RuleEngine engine)
{
    public RuleEngine Engine { get; } = engine;

    /// <summary>Coaches <paramref name="text"/>; <paramref name="kind"/> overrides the detected input kind.</summary>
    /// <exception cref="CoachingInputException">The text is empty, too long or not text.</exception>
    public CoachingReply Review(string text, InputKind? kind = null)
    {
        if (InputCheck.Problem(text) is { } problem)
        {
            throw new CoachingInputException(problem);
        }

        var evaluation = Engine.Evaluate(text, kind);

        // "<@U123>" alone passes the raw check but leaves nothing once mentions are stripped.
        if (InputCheck.Problem(evaluation.Text) is { } empty)
        {
            throw new CoachingInputException(empty);
        }

        return ReplyComposer.Compose(evaluation);
    }
}
