using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Rules;

namespace CoachBot.Coaching.Learned;

/// <summary>
/// The learned second opinion next to the rules. The rules keep explaining; the model decides
/// the verdict: it confirms a rule hit, vetoes a hit it does not believe (the finding stays, as a
/// gentle "consider", at <see cref="Level.Info"/>), and when it flags a text no rule matched, the
/// reply carries the nearest rule by that rule's own examples, so every reply still names a rule
/// with its why, ask and rewrite. Praise is kept only where the model also sees no problem.
/// </summary>
public sealed class SecondOpinion
{
    private readonly (RuleText Rule, HashSet<string> Words)[] _questionRules;
    private readonly (RuleText Rule, HashSet<string> Words)[] _noteRules;
    private readonly (RuleText Rule, HashSet<string> Words)[] _messageRules;

    public SecondOpinion(SecondOpinionWeights weights, RuleEngine engine)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(engine);
        Weights = weights;
        _questionRules = Nearest(engine, InputKind.Question);
        _noteRules = Nearest(engine, InputKind.CallNote);
        _messageRules = Nearest(engine, InputKind.Message);
    }

    public SecondOpinionWeights Weights { get; }

    /// <summary>The probability the model gives that the text is a problem (self-serving, or no goal).</summary>
    public double Probability(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return ModelFor(evaluation.Kind).Probability(TextFeatures.Of(evaluation.Text, evaluation.Findings.Select(f => f.Rule)));
    }

    /// <summary>The rules' findings with the model's verdict applied.</summary>
    public Evaluation Apply(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var model = ModelFor(evaluation.Kind);
        var p = model.Probability(TextFeatures.Of(evaluation.Text, evaluation.Findings.Select(f => f.Rule)));
        var rulesSayProblem = evaluation.Findings.Any(f => f.Level >= Level.Nudge);
        var problem = p >= model.Threshold || (rulesSayProblem && p >= model.VetoBelow);
        var findings = new List<Finding>(evaluation.Findings.Count + 1);
        var rulesProblem = false;
        foreach (var finding in evaluation.Findings)
        {
            if (finding.Level == Level.Praise)
            {
                // Praise needs the model's agreement too; on a several-question text a problem in one
                // question leaves the praise of another (the rules place both).
                if (p < Weights.PraiseCeiling || (problem && evaluation.Findings.Any(f => f.Level >= Level.Nudge)))
                {
                    findings.Add(finding);
                }

                continue;
            }

            if (finding.Level >= Level.Nudge)
            {
                rulesProblem = true;
                findings.Add(problem ? finding : finding with { Level = Level.Info });
                continue;
            }

            findings.Add(finding);
        }

        if (problem && !rulesProblem && NearestRule(evaluation) is { } nearest)
        {
            // No rule says which part the model objects to, so no part of the text is praised.
            findings.RemoveAll(f => f.Level == Level.Praise);
            findings.Add(ToFinding(nearest, evaluation.Text));
        }

        return Coach.WithoutPraiseBesideProblems(evaluation with { Findings = findings });
    }

    /// <summary>The problem rule for this kind of input whose fire examples share the most words with the text.</summary>
    public RuleText? NearestRule(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var candidates = evaluation.Kind switch
        {
            InputKind.Question => _questionRules,
            InputKind.CallNote => _noteRules,
            _ => _messageRules,
        };
        var words = Bag(evaluation.Text);
        RuleText? best = null;
        var bestScore = -1.0;
        foreach (var (rule, ruleWords) in candidates)
        {
            var shared = words.Count(ruleWords.Contains);
            var score = shared / Math.Sqrt(Math.Max(1, words.Count) * (double)Math.Max(1, ruleWords.Count));
            if (score > bestScore)
            {
                best = rule;
                bestScore = score;
            }
        }

        return best;
    }

    private LogisticModel ModelFor(InputKind kind) => kind == InputKind.Question ? Weights.Question : Weights.Note;

    private static (RuleText, HashSet<string>)[] Nearest(RuleEngine engine, InputKind kind) =>
        [.. engine.Rules
            .Where(r => r.AppliesTo(kind) && r.Text.Level >= Level.Nudge)
            .Select(r => (r.Text, r.Text.Fire.Aggregate(new HashSet<string>(StringComparer.Ordinal), (set, example) =>
            {
                set.UnionWith(Bag(example));
                return set;
            })))];

    // Words and word pairs, without the commonest function words, which every example shares.
    private static HashSet<string> Bag(string text)
    {
        var words = TextFeatures.Words(text).Where(w => !StopWords.Contains(w)).ToList();
        var bag = new HashSet<string>(words, StringComparer.Ordinal);
        for (var i = 1; i < words.Count; i++)
        {
            bag.Add(words[i - 1] + " " + words[i]);
        }

        return bag;
    }

    private static readonly HashSet<string> StopWords = new(
        ["a", "an", "the", "to", "of", "and", "or", "in", "on", "for", "is", "are", "it", "this", "that", "be", "with", "at", "by", "as", "i", "me", "my"],
        StringComparer.Ordinal);

    private static Finding ToFinding(RuleText rule, string excerpt) => new(
        rule.Id,
        rule.Category,
        rule.Level,
        Confidence.Low,
        rule.TrustFactor,
        rule.Message,
        rule.Why,
        rule.Ask,
        rule.Suggestions,
        rule.Source,
        excerpt);
}
