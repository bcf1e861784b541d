using BenchmarkDotNet.Attributes;
using CoachBot.Coaching;
using CoachBot.Coaching.Learned;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Benchmarks;

/// <summary>One rep's text through every default pack: the rules alone, and the whole reply.</summary>
[MemoryDiagnoser]
public class CoachingBenchmarks
{
    private Coach _coach = null!;
    private Coach _withModel = null!;

    [Params(
        "What does your purchasing process look like?",
        "What happens to your renewal rate if onboarding keeps taking six weeks?",
        "Calling Dana at Northwind tomorrow to check in.")]
    public string Text { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _coach = new Coach(RulePackLoader.Load());
        _withModel = new Coach(_coach.Engine, new SecondOpinion(SecondOpinionWeights.LoadDefault(), _coach.Engine));
    }

    [Benchmark]
    public Evaluation Rules() => _coach.Engine.Evaluate(Text);

    [Benchmark]
    public CoachingReply Reply() => _coach.Review(Text);

    [Benchmark]
    public CoachingReply ReplyWithModel() => _withModel.Review(Text);
}
