using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary><c>phrases:</c> and <c>lexicon:</c>: any word-bounded phrase of the list occurs.</summary>
internal sealed class PhraseMatcher(int set) : Matcher
{
    public int Set { get; } = set;

    public override int Cost => 0;

    public override bool IsMatch(Unit unit) => unit.Has(Set);
}
