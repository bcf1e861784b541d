using BenchmarkDotNet.Attributes;
using CoachBot.Coaching;
using CoachBot.Coaching.Rules;

namespace CoachBot.Benchmarks;

/// <summary>A mixed batch of questions, notes and messages, as <c>check --lines</c> sees it; divide by <see cref="Items"/>.</summary>
[MemoryDiagnoser]
public class LinesBenchmarks
{
    private static readonly string[] Texts =
    [
        "What does your purchasing process look like?",
        "Do you have budget set aside for this quarter?",
        "Who else needs to sign off before you can buy?",
        "Would Tuesday or Thursday work better for a call with me?",
        "What happens to your renewal rate if onboarding keeps taking six weeks?",
        "How would it change your team's week if approvals took hours instead of days?",
        "Other plant managers tell us scrap rates rise when shifts change; how does that show up for you?",
        "Calling Dana at Northwind tomorrow to check in.",
        "Call Dana at Northwind: goal is to get her agreement to a pilot in two stores starting in March.",
        "Hi Dana, just checking in to see if you had a chance to look at the proposal. Thanks, Sam",
    ];

    private Coach _coach = null!;

    public static int Items => Texts.Length;

    [GlobalSetup]
    public void Setup() => _coach = new Coach(RulePackLoader.Load());

    [Benchmark(OperationsPerInvoke = 10)]
    public int ReviewMixedBatch()
    {
        var findings = 0;
        foreach (var text in Texts)
        {
            findings += _coach.Review(text).Findings.Count;
        }

        return findings;
    }
}
