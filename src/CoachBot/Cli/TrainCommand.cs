using System.CommandLine;
using System.Security.Cryptography;
using CoachBot.Coaching.Eval;
using CoachBot.Coaching.Learned;

namespace CoachBot.Cli;

/// <summary>
/// <c>coachbot train FILE.tsv... --out weights.json</c>: fits the learned second opinion on every
/// scored row of the files (ambiguous rows left out) and writes its weights with the files' SHA-256.
/// Deterministic: the same files and rules give the same bytes.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CommandLineOptions options)
    {
        var files = new Argument<string[]>("FILE") { Description = "Labelled TSV files (id, text, label), questions and call notes.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out")
        {
            Description = "Where to write the weights (the built-in ones are src/CoachBot.Coaching/Learned/second-opinion.json).",
            Required = true,
        };
        var command = new Command("train", "Train the learned second opinion on labelled files and write its weights as JSON.")
        {
            files, output, options.Overrides, options.DefaultPacks,
        };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(files)!;
            var items = new List<LabelledItem>();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var path in paths)
            {
                if (!File.Exists(path))
                {
                    Console.Error.WriteLine($"No such file: {Path.GetFullPath(path)}");
                    return ExitCodes.Usage;
                }

                var bytes = File.ReadAllBytes(path);
                hash.AppendData(bytes);
                var (rows, problem) = EvalCommand.ReadTsv(File.ReadLines(path));
                if (problem is not null)
                {
                    Console.Error.WriteLine($"{path}: {problem}");
                    return ExitCodes.Usage;
                }

                items.AddRange(rows);
            }

            var coach = options.LoadCoach(parse, rulesOnly: true);
            if (coach is null)
            {
                return ExitCodes.BadPacks;
            }

            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var weights = SecondOpinionTrainer.Train(coach.Engine, items, sha, [.. paths.Select(Path.GetFileName).OfType<string>()]);
            var outPath = parse.GetValue(output)!;
            File.WriteAllText(outPath, weights.ToJson() + "\n");
            var scored = items.Count(i => SecondOpinionTrainer.IsScoredLabel(i.Label));
            Console.WriteLine($"Trained on {scored} scored rows ({items.Count - scored} left out) from {paths.Length} files, sha256 {sha}.");
            Console.WriteLine($"Wrote {outPath}: {weights.Question.Weights.Count} question and {weights.Note.Weights.Count} note weights.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
