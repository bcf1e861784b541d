using CoachBot.Coaching.Eval;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Learned;

/// <summary>Fits the second opinion on labelled rows: questions (self_serving/good) and notes (no_goal/has_goal).</summary>
public static class SecondOpinionTrainer
{
    public static SecondOpinionWeights Train(
        RuleEngine engine,
        IReadOnlyList<LabelledItem> items,
        string dataSha256,
        IReadOnlyList<string> trainedOn,
        TrainingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(items);
        settings ??= new TrainingSettings();
        var questions = new List<(IReadOnlyList<string>, bool)>();
        var notes = new List<(IReadOnlyList<string>, bool)>();
        foreach (var item in items)
        {
            if (Row(engine, item) is not { } row)
            {
                continue;
            }

            // Routed as the coach routes at run time, by the kind the reader detects: a follow-up
            // written as a question is judged by the question model, so that is where it trains.
            (row.Kind == InputKind.Question ? questions : notes).Add((row.Features, row.Positive));
        }

        return new SecondOpinionWeights(dataSha256, trainedOn, settings, settings.PraiseCeiling,
            LogisticModel.Train(questions, settings), LogisticModel.Train(notes, settings));
    }

    /// <summary>The fold of the <paramref name="position"/>-th scored row of a file: rows are dealt round-robin, so every fold spans the whole file.</summary>
    public static int FoldOf(int position, int folds) => position % folds;

    public static bool IsQuestionLabel(string label) => label is "self_serving" or "good";

    public static bool IsScoredLabel(string label) => label is "self_serving" or "good" or "no_goal" or "has_goal";

    private static (IReadOnlyList<string> Features, bool Positive, InputKind Kind)? Row(RuleEngine engine, LabelledItem item)
    {
        if (!IsScoredLabel(item.Label) || InputCheck.Problem(item.Text) is not null)
        {
            return null;
        }

        var evaluation = engine.Evaluate(item.Text);
        var features = TextFeatures.Of(evaluation.Text, evaluation.Findings.Select(f => f.Rule));
        return (features, item.Label is "self_serving" or "no_goal", evaluation.Kind);
    }
}
