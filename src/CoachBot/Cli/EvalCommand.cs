using System.CommandLine;
using CoachBot.Coaching.Eval;
using CoachBot.Coaching.Learned;

namespace CoachBot.Cli;

/// <summary>
/// <c>coachbot eval FILE.tsv...</c>: each file scored apart. The rules are scored on every id, then
/// on the odd ids (the half rules are tuned on) and the even ids (held out) separately;
/// <c>--folds K</c> adds the rules with the learned second opinion under k-fold cross-validation.
/// Rows labelled <c>ambiguous</c> are left out of every score.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CommandLineOptions options)
    {
        var files = new Argument<string[]>("FILE") { Description = "TSV files with a header row and the columns id, text, label.", Arity = ArgumentArity.OneOrMore };
        var folds = new Option<int>("--folds")
        {
            Description = "Also score the rules with the learned model by k-fold cross-validation: each fold predicted by a model trained on the other folds of every file given.",
        };
        // Hidden: for choosing the training settings by cross-validation; the defaults are what `train` uses.
        var l2 = new Option<double?>("--l2") { Hidden = true };
        var minCount = new Option<int?>("--min-count") { Hidden = true };
        var threshold = new Option<double?>("--threshold") { Hidden = true };
        var veto = new Option<double?>("--veto-below") { Hidden = true };
        var epochs = new Option<int?>("--epochs") { Hidden = true };
        var praiseCeiling = new Option<double?>("--praise-ceiling") { Hidden = true };
        var command = new Command("eval", "Measure the coaching on labelled examples (labels: self_serving, good, has_goal, no_goal; ambiguous rows are left out).")
        {
            files, folds, options.Overrides, options.DefaultPacks, l2, minCount, threshold, veto, epochs, praiseCeiling,
        };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(files)!;
            var k = parse.GetValue(folds);
            if (k is 1 or < 0)
            {
                Console.Error.WriteLine("--folds must be 2 or more (5 is usual).");
                return ExitCodes.Usage;
            }

            var sets = new List<(string File, IReadOnlyList<LabelledItem> Items)>();
            foreach (var path in paths)
            {
                if (!File.Exists(path))
                {
                    Console.Error.WriteLine($"No such file: {Path.GetFullPath(path)}");
                    return ExitCodes.Usage;
                }

                var (items, problem) = ReadTsv(File.ReadLines(path));
                if (problem is not null)
                {
                    Console.Error.WriteLine($"{path}: {problem}");
                    return ExitCodes.Usage;
                }

                sets.Add((Path.GetFileName(path), items));
            }

            var coach = options.LoadCoach(parse, rulesOnly: true);
            if (coach is null)
            {
                return ExitCodes.BadPacks;
            }

            var defaults = new TrainingSettings();
            var settings = defaults with
            {
                L2 = parse.GetValue(l2) ?? defaults.L2,
                MinCount = parse.GetValue(minCount) ?? defaults.MinCount,
                Threshold = parse.GetValue(threshold) ?? defaults.Threshold,
                VetoBelow = parse.GetValue(veto) ?? defaults.VetoBelow,
                Epochs = parse.GetValue(epochs) ?? defaults.Epochs,
                PraiseCeiling = parse.GetValue(praiseCeiling) ?? defaults.PraiseCeiling,
            };
            var crossValidated = k >= 2 ? CrossValidation.Run(coach.Engine, sets, k, settings) : [];
            foreach (var (file, items) in sets)
            {
                if (sets.Count > 1)
                {
                    Console.WriteLine($"=== {file}");
                }

                var report = EvalReport.Run(coach, items);
                PrintRules(report);
                if (k >= 2)
                {
                    PrintFolds(k, [.. crossValidated.Where(r => r.File == file)]);
                }

                Console.WriteLine();
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static (List<LabelledItem> Items, string? Problem) ReadTsv(IEnumerable<string> lines)
    {
        var items = new List<LabelledItem>();
        int id = -1, text = -1, label = -1, row = 0;
        foreach (var line in lines)
        {
            row++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split('\t');
            if (id < 0)
            {
                id = Array.IndexOf(cells, "id");
                text = Array.IndexOf(cells, "text");
                label = Array.IndexOf(cells, "label");
                if (id < 0 || text < 0 || label < 0)
                {
                    return ([], "the first line must be a header naming the columns id, text and label (tab-separated)");
                }

                continue;
            }

            if (cells.Length <= Math.Max(id, Math.Max(text, label)))
            {
                return ([], $"line {row} has {cells.Length} columns; the header has more");
            }

            items.Add(new LabelledItem(cells[id], cells[text], cells[label]));
        }

        return id < 0 ? ([], "the file is empty") : (items, null);
    }

    private static void PrintRules(EvalReport report)
    {
        Console.WriteLine($"Rules alone: {report.Predictions.Count} scored rows, {report.Ambiguous} ambiguous left out.");
        Console.WriteLine($"{"label",-14}{"support",8}{"precision",11}{"recall",8}{"f1",8}");
        foreach (var s in report.Scores)
        {
            Console.WriteLine($"{s.Label,-14}{s.Support,8}{s.Precision,11:F3}{s.Recall,8:F3}{s.F1,8:F3}");
        }

        PrintHalves(report.Predictions, "rules");
        PrintPraise("rules", report.Praise);
        Console.WriteLine();
        Console.WriteLine($"Misses ({report.Misses.Count}):");
        foreach (var miss in report.Misses)
        {
            var rules = miss.Rules.Count == 0 ? "no rule fired" : string.Join(", ", miss.Rules);
            Console.WriteLine($"  {miss.Item.Id}  {miss.Item.Label} -> {miss.Predicted}  \"{miss.Item.Text}\"  [{rules}]");
        }

        foreach (var line in report.Invalid)
        {
            Console.WriteLine($"  skipped {line}");
        }
    }

    // Odd ids are the half the rules are tuned on; even ids are held out. A gap above 0.05 means a rule fits wording, not an idea.
    private static void PrintHalves(IReadOnlyList<EvalPrediction> predictions, string what)
    {
        var odd = EvalReport.Score(EvalReport.Half(predictions, odd: true));
        var even = EvalReport.Score(EvalReport.Half(predictions, odd: false));
        if (odd.Count == 0 && even.Count == 0)
        {
            return;
        }

        Console.WriteLine($"{what} by id: odd (tuned on) vs even (held out); gap = |odd - even|");
        Console.WriteLine($"  {"label",-14}{"odd n",6}{"P",7}{"R",7}{"even n",8}{"P",7}{"R",7}{"gap P",7}{"gap R",7}");
        foreach (var label in EvalReport.Labels)
        {
            var o = odd.FirstOrDefault(s => s.Label == label);
            var e = even.FirstOrDefault(s => s.Label == label);
            if (o is null || e is null)
            {
                continue;
            }

            var flag = Math.Abs(o.Precision - e.Precision) > 0.05 || Math.Abs(o.Recall - e.Recall) > 0.05 ? "  > 0.05" : "";
            Console.WriteLine($"  {label,-14}{o.Support,6}{o.Precision,7:F3}{o.Recall,7:F3}{e.Support,8}{e.Precision,7:F3}{e.Recall,7:F3}" +
                $"{Math.Abs(o.Precision - e.Precision),7:F3}{Math.Abs(o.Recall - e.Recall),7:F3}{flag}");
        }
    }

    private static void PrintPraise(string what, PraiseScore praise)
    {
        if (praise.Good + praise.SelfServing == 0)
        {
            return;
        }

        Console.WriteLine($"{what} praise: good questions praised {praise.GoodPraised}/{praise.Good} ({praise.GoodRate:F3}); self-serving praised {praise.SelfServingPraised}/{praise.SelfServing}");
    }

    private static void PrintFolds(int folds, IReadOnlyList<FoldResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"Rules with the learned model, {folds}-fold cross-validation (each fold predicted by a model trained on the other folds):");
        Console.WriteLine($"  {"fold",-6}{"label",-14}{"support",8}{"precision",11}{"recall",8}{"f1",8}");
        foreach (var result in results)
        {
            foreach (var s in EvalReport.Score(result.Predictions))
            {
                Console.WriteLine($"  {result.Fold,-6}{s.Label,-14}{s.Support,8}{s.Precision,11:F3}{s.Recall,8:F3}{s.F1,8:F3}");
            }
        }

        var pooled = EvalReport.FromPredictions([.. results.SelectMany(r => r.Predictions)]);
        foreach (var s in pooled.Scores)
        {
            Console.WriteLine($"  {"all",-6}{s.Label,-14}{s.Support,8}{s.Precision,11:F3}{s.Recall,8:F3}{s.F1,8:F3}");
        }

        PrintHalves(pooled.Predictions, "cross-validated");
        PrintPraise("cross-validated", pooled.Praise);
        Console.WriteLine($"Misses with the learned model ({pooled.Misses.Count}):");
        foreach (var miss in pooled.Misses)
        {
            var rules = miss.Rules.Count == 0 ? "no rule fired" : string.Join(", ", miss.Rules);
            Console.WriteLine($"  {miss.Item.Id}  {miss.Item.Label} -> {miss.Predicted}  \"{miss.Item.Text}\"  [{rules}]");
        }
    }
}
