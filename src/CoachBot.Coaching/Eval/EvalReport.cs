using CoachBot.Coaching.Messages;

namespace CoachBot.Coaching.Eval;

/// <summary>Precision, recall and F1 for one label.</summary>
public sealed record LabelScore(string Label, int Support, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>An item the engine got wrong, with what it predicted and which rules fired.</summary>
public sealed record EvalMiss(LabelledItem Item, string Predicted, IReadOnlyList<string> Rules);

/// <summary>How the engine does on a labelled set.</summary>
public sealed record EvalReport(IReadOnlyList<LabelScore> Scores, IReadOnlyList<EvalMiss> Misses, IReadOnlyList<string> Invalid)
{
    public static readonly IReadOnlyList<string> Labels = ["self_serving", "good", "has_goal", "no_goal"];

    /// <summary>
    /// Scores <paramref name="items"/>: a question counts as <c>self_serving</c> and a note as
    /// <c>no_goal</c> when the coach's verdict is <c>revise</c>.
    /// </summary>
    public static EvalReport Run(Coach coach, IEnumerable<LabelledItem> items)
    {
        ArgumentNullException.ThrowIfNull(coach);
        ArgumentNullException.ThrowIfNull(items);
        var predictions = new List<(LabelledItem Item, string Predicted, IReadOnlyList<string> Rules)>();
        var invalid = new List<string>();
        foreach (var item in items)
        {
            if (!Labels.Contains(item.Label, StringComparer.Ordinal))
            {
                invalid.Add($"{item.Id}: unknown label '{item.Label}' (expected one of {string.Join(", ", Labels)})");
                continue;
            }

            if (InputCheck.Problem(item.Text) is { } problem)
            {
                invalid.Add($"{item.Id}: {problem}");
                continue;
            }

            var reply = coach.Review(item.Text);
            var revise = reply.Verdict == Verdict.Revise;
            var isQuestionLabel = item.Label is "self_serving" or "good";
            var predicted = isQuestionLabel ? (revise ? "self_serving" : "good") : (revise ? "no_goal" : "has_goal");
            predictions.Add((item, predicted, reply.Findings.Select(f => f.Rule).Distinct().ToList()));
        }

        var scores = Labels
            .Where(label => predictions.Any(p => p.Item.Label == label || p.Predicted == label))
            .Select(label => new LabelScore(
                label,
                predictions.Count(p => p.Item.Label == label),
                predictions.Count(p => p.Item.Label == label && p.Predicted == label),
                predictions.Count(p => p.Item.Label != label && p.Predicted == label),
                predictions.Count(p => p.Item.Label == label && p.Predicted != label)))
            .ToList();
        var misses = predictions.Where(p => p.Predicted != p.Item.Label).Select(p => new EvalMiss(p.Item, p.Predicted, p.Rules)).ToList();
        return new EvalReport(scores, misses, invalid);
    }
}
