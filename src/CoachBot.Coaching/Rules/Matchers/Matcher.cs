using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary>One condition of a rule's <c>match</c> or <c>unless</c>; each YAML match key becomes one.</summary>
internal abstract class Matcher
{
    /// <summary>Rough relative cost, so cheap conditions run first and expensive ones only when needed.</summary>
    public virtual int Cost => 1;

    public abstract bool IsMatch(Unit unit);
}
