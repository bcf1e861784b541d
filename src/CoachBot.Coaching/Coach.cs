using CoachBot.Coaching.Learned;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching;

/// <summary>
/// The one call channels and the command line make: a rep's text in, a coaching reply out.
/// Thread-safe; build one per process with <see cref="RulePackLoader"/>. With a
/// <see cref="SecondOpinion"/> the learned model sets the verdict next to the rules; without one
/// (it did not load) the rules coach alone and <see cref="Mode"/> says why.
/// </summary>
public sealed class Coach(RuleEngine engine, SecondOpinion? opinion = null, string? opinionProblem = null)
{
    public RuleEngine Engine { get; } = engine;

    public SecondOpinion? Opinion { get; } = opinion;

    /// <summary>What coaches: the rules and the learned model, or the rules alone and why; for readiness and the start-up log.</summary>
    public string Mode { get; } = opinion is not null
        ? $"rules and learned model (trained on data sha256 {opinion.Weights.DataSha256[..Math.Min(12, opinion.Weights.DataSha256.Length)]})"
        : opinionProblem is null ? "rules only" : $"rules only: the learned model did not load ({opinionProblem})";

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

        return ReplyComposer.Compose(Opinion is null ? WithoutPraiseBesideProblems(evaluation) : Opinion.Apply(evaluation));
    }

    // Praise for a question that also needs revising would praise a self-serving question: praise
    // stays only on the questions nothing else found a problem with.
    internal static Evaluation WithoutPraiseBesideProblems(Evaluation evaluation)
    {
        var problems = evaluation.Findings.Where(f => f.Level >= Level.Nudge).Select(f => f.Excerpt).ToHashSet(StringComparer.Ordinal);
        return problems.Count > 0 && evaluation.Findings.Any(f => f.Level == Level.Praise && problems.Contains(f.Excerpt))
            ? evaluation with { Findings = [.. evaluation.Findings.Where(f => f.Level != Level.Praise || !problems.Contains(f.Excerpt))] }
            : evaluation;
    }
}
