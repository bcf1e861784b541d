using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary><c>phrases:</c> and <c>lexicon:</c>: any word-bounded phrase of the list occurs.</summary>
/// <remarks>In an <c>unless</c>, it reads the unit's context (the statements around a question) as well.</remarks>
internal sealed class PhraseMatcher(int set, bool readsContext = false) : Matcher
{
    public int Set { get; } = set;

    public override int Cost => 0;

    public override bool IsMatch(Unit unit) => readsContext ? unit.ContextCounts[Set] > 0 : unit.Has(Set);
}
