using System.Buffers;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules;

/// <summary>The result of running every rule over one text.</summary>
/// <param name="Text">The text the rules read, markup stripped.</param>
/// <param name="Names">The names the text mentions, which the findings' suggestions were filled with.</param>
public sealed record Evaluation(string Text, InputKind Kind, IReadOnlyList<Finding> Findings, Replies.DraftNames? Names = null);

/// <summary>
/// Runs the loaded rules over a text. Built once by <see cref="RulePackLoader"/>; thread-safe and
/// allocation-light, so one instance serves every request.
/// </summary>
public sealed class RuleEngine
{
    private readonly Analyzer _analyzer;
    private readonly Rule[] _rules;
    private readonly Rule[][] _wholeRules;
    private readonly Rule[] _questionRules;

    internal RuleEngine(Analyzer analyzer, IReadOnlyList<Rule> rules, Confidence minimumConfidence, IReadOnlyList<string> packs)
    {
        _analyzer = analyzer;
        _rules = [.. rules];
        MinimumConfidence = minimumConfidence;
        Packs = packs;
        _questionRules = [.. _rules.Where(r => r.AppliesTo(InputKind.Question))];
        _wholeRules = new Rule[3][];
        foreach (var kind in Enum.GetValues<InputKind>())
        {
            _wholeRules[(int)kind] = [.. _rules.Where(r => r.AppliesTo(kind))];
        }
    }

    public IReadOnlyList<Rule> Rules => _rules;

    public IReadOnlyList<string> Packs { get; }

    /// <summary>Findings below this confidence are not reported (the organisation's <c>min_confidence</c>).</summary>
    public Confidence MinimumConfidence { get; }

    /// <summary>Runs every rule; <paramref name="kind"/> overrides the detected input kind.</summary>
    public Evaluation Evaluate(string text, InputKind? kind = null) => Run(text, kind, MinimumConfidence, only: null);

    /// <summary>Runs one rule, ignoring the confidence threshold: what a rule's own examples are checked with.</summary>
    public bool Fires(Rule rule, string text, InputKind? kind = null) =>
        Run(text, kind, Confidence.Low, only: rule).Findings.Count > 0;

    private Evaluation Run(string text, InputKind? kind, Confidence threshold, Rule? only)
    {
        var plain = MarkupStripper.Strip(text);
        var view = _analyzer.Read(plain);
        var counts = _analyzer.CountWhole(view);
        var detected = kind ?? _analyzer.DetectKind(view, counts);
        var findings = new List<Finding>();

        // Names are read only when a rule fires in a reply: a rule's example check needs none.
        Replies.DraftNames? names = only is null ? null : Replies.DraftNames.None;
        var units = _analyzer.Units(view, detected, counts);
        foreach (var unit in units)
        {
            var rules = unit.IsQuestion ? _questionRules : _wholeRules[(int)detected];
            foreach (var rule in rules)
            {
                if ((only is null || ReferenceEquals(rule, only))
                    && rule.Text.Confidence >= threshold
                    && rule.Match.IsMatch(unit)
                    && (rule.Unless is null || !rule.Unless.IsMatch(unit)))
                {
                    findings.Add(ToFinding(rule.Text, unit, names ??= Replies.DraftNames.Find(plain)));
                }
            }
        }

        foreach (var unit in units)
        {
            if (!ReferenceEquals(unit.Counts, counts))
            {
                ArrayPool<int>.Shared.Return(unit.Counts);
            }

            if (unit.RentedContextCounts is { } context)
            {
                ArrayPool<int>.Shared.Return(context);
            }
        }

        ArrayPool<int>.Shared.Return(counts);
        return new Evaluation(plain, detected, findings, names ?? Replies.DraftNames.None);
    }

    private static Finding ToFinding(RuleText rule, Unit unit, Replies.DraftNames names) => new(
        rule.Id,
        rule.Category,
        rule.Level,
        rule.Confidence,
        rule.TrustFactor,
        rule.Message,
        rule.Why,
        rule.Ask,
        rule.SuggestionsFor(names),
        rule.Source,
        unit.Excerpt);
}
