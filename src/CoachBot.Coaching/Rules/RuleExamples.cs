using CoachBot.Coaching.Messages;

namespace CoachBot.Coaching.Rules;

/// <summary>One example of one rule, and whether the rule behaved as the example says.</summary>
public sealed record ExampleResult(Rule Rule, bool ShouldFire, int Index, string Example, bool Passed);

/// <summary>
/// Runs every rule's own <c>fire</c> and <c>silent</c> examples: what <c>coachbot rules test</c>
/// prints and what the loader refuses to start without.
/// </summary>
public static class RuleExamples
{
    public static IEnumerable<ExampleResult> Run(RuleEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        foreach (var rule in engine.Rules)
        {
            foreach (var result in Run(engine, rule))
            {
                yield return result;
            }
        }
    }

    public static IEnumerable<ExampleResult> Run(RuleEngine engine, Rule rule)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(rule);

        // A rule for one kind of input is checked on its examples read as that kind, so an example
        // is never misread as another kind; rules for several kinds let the detector decide.
        InputKind? kind = rule.Text.AppliesTo.Count == 1 ? rule.Text.AppliesTo[0] : null;
        for (var i = 0; i < rule.Text.Fire.Count; i++)
        {
            var example = rule.Text.Fire[i];
            yield return new ExampleResult(rule, true, i, example, engine.Fires(rule, example, kind));
        }

        for (var i = 0; i < rule.Text.Silent.Count; i++)
        {
            var example = rule.Text.Silent[i];
            yield return new ExampleResult(rule, false, i, example, !engine.Fires(rule, example, kind));
        }
    }
}
