using System.Diagnostics;
using CoachBot.Coaching;
using CoachBot.Coaching.Learned;
using CoachBot.Coaching.Rules;

namespace CoachBot.Benchmarks;

/// <summary>
/// <c>-- latency [FILE.tsv...]</c>: what the learned second opinion adds to a reply. Loads the coach
/// with and without the model (timed: the host's start-up does the same), then times every reply
/// one by one over the texts, interleaving the two coaches, and prints p50/p99 of each and of the
/// difference, and the process's resident memory. BenchmarkDotNet reports means, not a p99.
/// </summary>
internal static class SecondOpinionLatency
{
    public static int Run(string[] files)
    {
        var texts = files.Length == 0 ? Fallback : files
            .SelectMany(f => File.ReadLines(f).Skip(1))
            .Select(line => line.Split('\t'))
            .Where(cells => cells.Length > 1 && InputCheck.Problem(cells[1]) is null)
            .Select(cells => cells[1])
            .ToArray();

        var clock = Stopwatch.StartNew();
        var engine = RulePackLoader.Load();
        var rulesLoad = clock.Elapsed;
        clock.Restart();
        var opinion = new SecondOpinion(SecondOpinionWeights.LoadDefault(), engine);
        var modelLoad = clock.Elapsed;
        var rules = new Coach(engine);
        var both = new Coach(engine, opinion);

        // Warm up the JIT on both paths before anything is timed.
        for (var i = 0; i < 3; i++)
        {
            foreach (var text in texts)
            {
                rules.Review(text);
                both.Review(text);
            }
        }

        const int Rounds = 20;
        var rulesTimes = new List<double>(texts.Length * Rounds);
        var bothTimes = new List<double>(texts.Length * Rounds);
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var text in texts)
            {
                var start = Stopwatch.GetTimestamp();
                rules.Review(text);
                var middle = Stopwatch.GetTimestamp();
                both.Review(text);
                var end = Stopwatch.GetTimestamp();
                rulesTimes.Add(Stopwatch.GetElapsedTime(start, middle).TotalMilliseconds);
                bothTimes.Add(Stopwatch.GetElapsedTime(middle, end).TotalMilliseconds);
            }
        }

        var added = bothTimes.Zip(rulesTimes, (b, r) => b - r).ToList();
        Console.WriteLine($"{texts.Length} texts x {Rounds} rounds, one reply at a time");
        Console.WriteLine($"load: rules {rulesLoad.TotalMilliseconds:F0} ms, learned model {modelLoad.TotalMilliseconds:F0} ms");
        Console.WriteLine($"reply, rules only:      p50 {Percentile(rulesTimes, 0.50):F3} ms  p99 {Percentile(rulesTimes, 0.99):F3} ms");
        Console.WriteLine($"reply, rules and model: p50 {Percentile(bothTimes, 0.50):F3} ms  p99 {Percentile(bothTimes, 0.99):F3} ms");
        Console.WriteLine($"added by the model:     p50 {Percentile(added, 0.50):F3} ms  p99 {Percentile(added, 0.99):F3} ms");
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"resident memory: {process.WorkingSet64 / 1048576} MB (peak {process.PeakWorkingSet64 / 1048576} MB)");
        return 0;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static readonly string[] Fallback =
    [
        "What does your purchasing process look like?",
        "Do you have budget set aside for this quarter?",
        "What happens to your renewal rate if onboarding keeps taking six weeks?",
        "Calling Dana at Northwind tomorrow to check in.",
        "Call Dana at Northwind: goal is to get her agreement to a pilot in two stores starting in March.",
        "Hi Dana, just checking in to see if you had a chance to look at the proposal. Thanks, Sam",
    ];
}
