using CoachBot.Coaching.Learned;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Eval;

/// <summary>One file's held-out predictions for one fold.</summary>
public sealed record FoldResult(int Fold, string File, IReadOnlyList<EvalPrediction> Predictions);

/// <summary>
/// k-fold cross-validation of the rules plus the learned second opinion: every scored row is
/// predicted by a model trained on the other folds of every file given, never on itself.
/// </summary>
public static class CrossValidation
{
    public static IReadOnlyList<FoldResult> Run(
        RuleEngine engine,
        IReadOnlyList<(string File, IReadOnlyList<LabelledItem> Items)> files,
        int folds,
        TrainingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var scored = files
            .Select(f => (f.File, Rows: f.Items
                .Where(i => SecondOpinionTrainer.IsScoredLabel(i.Label) && InputCheck.Problem(i.Text) is null)
                .Select((item, position) => (Item: item, Fold: SecondOpinionTrainer.FoldOf(position, folds)))
                .ToList()))
            .ToList();
        var results = new List<FoldResult>();
        for (var fold = 0; fold < folds; fold++)
        {
            var training = scored.SelectMany(f => f.Rows).Where(r => r.Fold != fold).Select(r => r.Item).ToList();
            var weights = SecondOpinionTrainer.Train(engine, training, "cross-validation", [], settings);
            var coach = new Coach(engine, new SecondOpinion(weights, engine));
            foreach (var (file, rows) in scored)
            {
                var held = rows.Where(r => r.Fold == fold).Select(r => EvalReport.Predict(coach, r.Item)).ToList();
                results.Add(new FoldResult(fold + 1, file, held));
            }
        }

        return results;
    }
}
