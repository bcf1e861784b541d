using System.CommandLine;
using CoachBot.Coaching.Eval;

namespace CoachBot.Cli;

/// <summary><c>coachbot eval FILE.tsv</c>: precision, recall and F1 on a labelled set, and the misses.</summary>
internal static class EvalCommand
{
    public static Command Create(CommandLineOptions options)
    {
        var file = new Argument<string>("FILE") { Description = "A TSV with a header row and the columns id, text, label." };
        var command = new Command("eval", "Measure the rules on labelled examples (labels: self_serving, good, has_goal, no_goal).")
        {
            file, options.Overrides, options.DefaultPacks,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
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

            var coach = options.LoadCoach(parse);
            if (coach is null)
            {
                return ExitCodes.BadPacks;
            }

            Print(EvalReport.Run(coach, items));
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

    private static void Print(EvalReport report)
    {
        Console.WriteLine($"{"label",-14}{"support",8}{"precision",11}{"recall",8}{"f1",8}");
        foreach (var s in report.Scores)
        {
            Console.WriteLine($"{s.Label,-14}{s.Support,8}{s.Precision,11:F3}{s.Recall,8:F3}{s.F1,8:F3}");
        }

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
}
