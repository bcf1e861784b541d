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

/// <summary>What the coach said about one labelled item.</summary>
/// <param name="Praised">The reply carried praise.</param>
public sealed record EvalPrediction(LabelledItem Item, string Predicted, IReadOnlyList<string> Rules, bool Praised);

/// <summary>How often good questions were praised, and how often self-serving ones wrongly were.</summary>
public sealed record PraiseScore(int Good, int GoodPraised, int SelfServing, int SelfServingPraised)
{
    public double GoodRate => Good == 0 ? 0 : (double)GoodPraised / Good;
}

/// <summary>How the engine does on a labelled set.</summary>
/// <param name="Ambiguous">Rows labelled <c>ambiguous</c>: left out of every score.</param>
public sealed record EvalReport(
    IReadOnlyList<LabelScore> Scores,
    IReadOnlyList<EvalMiss> Misses,
    IReadOnlyList<string> Invalid,
    IReadOnlyList<EvalPrediction> Predictions,
    PraiseScore Praise,
    int Ambiguous)
{
    public static readonly IReadOnlyList<string> Labels = ["self_serving", "good", "has_goal", "no_goal"];

    /// <summary>
    /// Scores <paramref name="items"/>: a question counts as <c>self_serving</c> and a note as
    /// <c>no_goal</c> when the coach's verdict is <c>revise</c>. Rows labelled <c>ambiguous</c> are
    /// counted and left out.
    /// </summary>
    public static EvalReport Run(Coach coach, IEnumerable<LabelledItem> items)
    {
        ArgumentNullException.ThrowIfNull(coach);
        ArgumentNullException.ThrowIfNull(items);
        var predictions = new List<EvalPrediction>();
        var invalid = new List<string>();
        var ambiguous = 0;
        foreach (var item in items)
        {
            if (item.Label == "ambiguous")
            {
                ambiguous++;
                continue;
            }

            if (!Labels.Contains(item.Label, StringComparer.Ordinal))
            {
                invalid.Add($"{item.Id}: unknown label '{item.Label}' (expected one of {string.Join(", ", Labels)}, or ambiguous)");
                continue;
            }

            if (InputCheck.Problem(item.Text) is { } problem)
            {
                invalid.Add($"{item.Id}: {problem}");
                continue;
            }

            predictions.Add(Predict(coach, item));
        }

        return FromPredictions(predictions, invalid, ambiguous);
    }

    /// <summary>What the coach predicts for one scored item.</summary>
    public static EvalPrediction Predict(Coach coach, LabelledItem item)
    {
        ArgumentNullException.ThrowIfNull(coach);
        ArgumentNullException.ThrowIfNull(item);
        var reply = coach.Review(item.Text);
        var revise = reply.Verdict == Verdict.Revise;
        var isQuestionLabel = item.Label is "self_serving" or "good";
        var predicted = isQuestionLabel ? (revise ? "self_serving" : "good") : (revise ? "no_goal" : "has_goal");
        return new EvalPrediction(item, predicted, reply.Findings.Select(f => f.Rule).Distinct().ToList(), reply.Praise is not null);
    }

    public static EvalReport FromPredictions(IReadOnlyList<EvalPrediction> predictions, IReadOnlyList<string>? invalid = null, int ambiguous = 0)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var misses = predictions.Where(p => p.Predicted != p.Item.Label).Select(p => new EvalMiss(p.Item, p.Predicted, p.Rules)).ToList();
        var praise = new PraiseScore(
            predictions.Count(p => p.Item.Label == "good"),
            predictions.Count(p => p.Item.Label == "good" && p.Praised),
            predictions.Count(p => p.Item.Label == "self_serving"),
            predictions.Count(p => p.Item.Label == "self_serving" && p.Praised));
        return new EvalReport(Score(predictions), misses, invalid ?? [], predictions, praise, ambiguous);
    }

    public static IReadOnlyList<LabelScore> Score(IReadOnlyList<EvalPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return Labels
            .Where(label => predictions.Any(p => p.Item.Label == label || p.Predicted == label))
            .Select(label => new LabelScore(
                label,
                predictions.Count(p => p.Item.Label == label),
                predictions.Count(p => p.Item.Label == label && p.Predicted == label),
                predictions.Count(p => p.Item.Label != label && p.Predicted == label),
                predictions.Count(p => p.Item.Label == label && p.Predicted != label)))
            .ToList();
    }

    /// <summary>The rows whose id ends in an odd number (the half rules are tuned on) or an even one (held out); ids without a number are in neither.</summary>
    public static IReadOnlyList<EvalPrediction> Half(IReadOnlyList<EvalPrediction> predictions, bool odd)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return predictions.Where(p => IdNumber(p.Item.Id) is { } n && (n % 2 == 1) == odd).ToList();
    }

    public static int? IdNumber(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var end = id.Length;
        var start = end;
        while (start > 0 && char.IsAsciiDigit(id[start - 1]))
        {
            start--;
        }

        return start == end ? null : int.Parse(id.AsSpan(start, Math.Min(9, end - start)), System.Globalization.CultureInfo.InvariantCulture);
    }
}
